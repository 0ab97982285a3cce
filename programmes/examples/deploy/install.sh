#!/bin/sh
# Install: the only phase that writes, and only in a LIVE run.
set -eu
root="${GATEHOUSE_DEPLOY_ROOT:-/tmp/gatehouse-deploy}"
if [ "${GATEHOUSE_MODE}" != "live" ]; then
    echo "install: dry run: would write ${root}/iu-cutter/VERSION = v0.6; nothing written"
    exit 0
fi
mkdir -p "${root}/iu-cutter"
if [ -f "${root}/iu-cutter/VERSION" ] && [ "$(cat "${root}/iu-cutter/VERSION")" = "v0.6" ]; then
    echo "install: v0.6 is already installed; nothing to do"
    exit 0
fi
printf 'v0.6\n' > "${root}/iu-cutter/VERSION.tmp"
printf 'execution_enabled = false\n' > "${root}/iu-cutter/killswitch.conf"
mv "${root}/iu-cutter/VERSION.tmp" "${root}/iu-cutter/VERSION"
echo "install: wrote ${root}/iu-cutter/VERSION = v0.6 (run ${GATEHOUSE_RUN})"
