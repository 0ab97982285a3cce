#!/bin/sh
# Stage: the v0.6 artifact the package carries is whole and ships with execution disabled.
set -eu
artifact=./o6/artifact/iu-cutter
[ "$(cat "${artifact}/VERSION")" = "v0.6" ] || { echo "stage: the artifact is not v0.6" >&2; exit 3; }
grep -q '^execution_enabled = false$' "${artifact}/killswitch.conf" || { echo "stage: the artifact's kill-switch is not off" >&2; exit 3; }
echo "stage: artifact v0.6 with $(find "${artifact}" -type f | wc -l | tr -d ' ') files, execution_enabled = false"
