#!/bin/sh
# Install: the only phase that writes to the tree, and only in a LIVE run. The v0.4 tree is
# kept under BACKUPS/RUN for the revert; the new tree is put in place by a rename.
set -eu
artifact=./o6/artifact/iu-cutter
if [ "${GATEHOUSE_MODE}" != "live" ]; then
    echo "install: dry run: would replace ${DOT_TREE} ($(cat "${DOT_TREE}/VERSION")) with v0.6; nothing written"
    diff -rq "${DOT_TREE}" "${artifact}" || true
    exit 0
fi
if diff -rq "${DOT_TREE}" "${artifact}" >/dev/null 2>&1; then
    echo "install: v0.6 is already installed; nothing to do"
    exit 0
fi
backup="${BACKUPS}/${GATEHOUSE_RUN}"
mkdir -p "${backup}"
rm -rf "${DOT_TREE}.new"
cp -Rp "${artifact}" "${DOT_TREE}.new"
cp -Rp "${DOT_TREE}" "${backup}/iu-cutter"
rm -rf "${DOT_TREE}.old"
mv "${DOT_TREE}" "${DOT_TREE}.old"
mv "${DOT_TREE}.new" "${DOT_TREE}"
rm -rf "${DOT_TREE}.old"
echo "install: ${DOT_TREE} is v0.6; v0.4 kept in ${backup}"
