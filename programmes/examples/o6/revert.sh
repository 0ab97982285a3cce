#!/bin/sh
# Revert: put back the tree the install of this run kept (v0.4), byte for byte.
set -eu
backup="${BACKUPS}/${GATEHOUSE_RUN}/iu-cutter"
if [ ! -d "${backup}" ]; then
    echo "revert: no backup at ${backup}: the install of run ${GATEHOUSE_RUN} changed nothing" >&2
    exit 0
fi
rm -rf "${DOT_TREE}.reverting"
cp -Rp "${backup}" "${DOT_TREE}.reverting"
rm -rf "${DOT_TREE}"
mv "${DOT_TREE}.reverting" "${DOT_TREE}"
echo "revert: ${DOT_TREE} is back to $(cat "${DOT_TREE}/VERSION")"
