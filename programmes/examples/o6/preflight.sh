#!/bin/sh
# Preflight: who and where we are, and what the tree holds. Reads only.
set -eu
echo "preflight: run ${GATEHOUSE_RUN} mode ${GATEHOUSE_MODE} on $(uname -n) as $(id -un)"
if [ ! -d "${DOT_TREE}" ]; then
    echo "preflight: no tree at ${DOT_TREE}; make the site with make-site.sh" >&2
    exit 3
fi
echo "preflight: ${DOT_TREE} is at $(cat "${DOT_TREE}/VERSION")"
