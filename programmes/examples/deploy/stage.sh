#!/bin/sh
# Stage: compute what would be installed. Reads only.
set -eu
echo "stage: artifact v0.6 (from v0.4), execution_enabled = false unchanged"
echo "stage: would copy 3 files into ${GATEHOUSE_DEPLOY_ROOT:-/tmp/gatehouse-deploy}/iu-cutter"
