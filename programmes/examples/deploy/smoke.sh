#!/bin/sh
# Smoke: check what install left (in a dry run, that nothing was written).
set -eu
root="${GATEHOUSE_DEPLOY_ROOT:-/tmp/gatehouse-deploy}"
if [ "${GATEHOUSE_MODE}" = "live" ]; then
    test "$(cat "${root}/iu-cutter/VERSION")" = "v0.6" || { echo "smoke: VERSION is not v0.6" >&2; exit 1; }
    grep -q 'execution_enabled = false' "${root}/iu-cutter/killswitch.conf" || { echo "smoke: kill-switch not off" >&2; exit 1; }
    echo "smoke: v0.6 installed, kill-switch off"
else
    echo "smoke: dry run: nothing to check"
fi
