#!/bin/sh
# Smoke: the installed tree is the artifact, byte for byte, and execution stays disabled.
set -eu
artifact=./o6/artifact/iu-cutter
if [ "${GATEHOUSE_MODE}" != "live" ]; then
    echo "smoke: dry run: the tree is still $(cat "${DOT_TREE}/VERSION"); checking the artifact alone"
    grep -q '^execution_enabled = false$' "${artifact}/killswitch.conf"
    exit 0
fi
diff -r "${DOT_TREE}" "${artifact}"
grep -q '^execution_enabled = false$' "${DOT_TREE}/killswitch.conf"
echo "smoke: ${DOT_TREE} is v0.6, identical to the artifact, execution_enabled = false"
