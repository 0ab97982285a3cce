#!/bin/sh
# Preflight: who and where we are. Reads only.
set -eu
echo "preflight: run ${GATEHOUSE_RUN} phase ${GATEHOUSE_PHASE} mode ${GATEHOUSE_MODE}"
echo "preflight: host $(uname -n), shell $(command -v sh)"
root="${GATEHOUSE_DEPLOY_ROOT:-/tmp/gatehouse-deploy}"
echo "preflight: deploy root ${root}"
