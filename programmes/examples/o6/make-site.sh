#!/bin/sh
# Makes the site the O6 example deploys into, next to this script: a local git repository
# standing in for the developer repo at the O4 HEAD (holding the v0.6 artifact), and the
# vendored tree at v0.4 standing in for /opt/incomex/dot/iu-cutter. Run it again to start over.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
site="${here}/site"
rm -rf "${site}"
mkdir -p "${site}/orchestrator" "${site}/dot/iu-cutter"
cp -R "${here}/artifact/iu-cutter" "${site}/orchestrator/iu-cutter"
git -C "${site}/orchestrator" init --quiet --initial-branch=main
git -C "${site}/orchestrator" add iu-cutter
GIT_AUTHOR_NAME=o4 GIT_AUTHOR_EMAIL=o4@example.invalid GIT_COMMITTER_NAME=o4 GIT_COMMITTER_EMAIL=o4@example.invalid \
GIT_AUTHOR_DATE=2026-05-21T00:00:00Z GIT_COMMITTER_DATE=2026-05-21T00:00:00Z \
    git -C "${site}/orchestrator" -c core.hooksPath=/dev/null commit --quiet --message "O4: live dry-run HEAD (v0.6)"
printf 'v0.4\n' > "${site}/dot/iu-cutter/VERSION"
printf 'execution_enabled = false\n' > "${site}/dot/iu-cutter/killswitch.conf"
printf '"""iu-cutter v0.4"""\nVERSION = "v0.4"\n' > "${site}/dot/iu-cutter/cutter.py"
echo "site made: ${site} (orchestrator at $(git -C "${site}/orchestrator" rev-parse --short HEAD), tree at v0.4)"
