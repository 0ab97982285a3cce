#!/usr/bin/env bash
# Builds Gatehouse and its benchmark in release mode, runs every scenario and rewrites
# BENCHMARKS.md with the machine, the date and the commit. Exits non-zero if a scenario
# could not run. Pass --quick for a short smoke run (it writes to /tmp instead).
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary as it is installed: the Swift runtime and Foundation linked in (README, Install).
swift build -c release --static-swift-stdlib --product gatehouse
swift build -c release --static-swift-stdlib --product gatehouse-bench
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
output=BENCHMARKS.md
if [ "${1:-}" = "--quick" ]; then output=/tmp/BENCHMARKS.quick.md; fi
"$bin/gatehouse-bench" --gatehouse "$bin/gatehouse" --output "$output" --commit "$commit" --notes bench/notes.md "$@"
