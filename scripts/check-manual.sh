#!/usr/bin/env bash
# Generates the manual page from the command definitions (swift-argument-parser's manual
# plugin, as README.md tells a newcomer to), checks that groff formats it without an error and
# that it has an entry for every command `gatehouse --help` lists, and that the bash, zsh and
# fish completion scripts come out. Run after a debug build (scripts/test.sh builds one).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=.build/debug/gatehouse
page=.build/plugins/GenerateManual/outputs/gatehouse/gatehouse.1
[ -x "$binary" ] || { echo "check-manual: no $binary; build first (swift build)" >&2; exit 2; }

echo "check-manual: generating the manual page"
swift package generate-manual --configuration debug >/dev/null
[ -s "$page" ] || { echo "check-manual: the plugin wrote no $page" >&2; exit 1; }

# groff's mdoc macros: an error (not a style warning) fails the check.
if ! errors=$(groff -mdoc -Tutf8 -z "$page" 2>&1); then
  echo "$errors" >&2
  echo "check-manual: groff cannot format $page" >&2; exit 1
fi

commands=$("$binary" --help | sed -n '/^SUBCOMMANDS:/,/^  See /p' | awk '/^  [a-z]/ {print $1}')
[ -n "$commands" ] || { echo "check-manual: \`gatehouse --help\` lists no subcommand" >&2; exit 1; }
missing=0
for command in $commands; do
  if ! grep -qx ".It Em $command" "$page"; then
    echo "check-manual: the manual has no entry for \`gatehouse $command\`" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1

for shell in bash zsh fish; do
  "$binary" --generate-completion-script "$shell" | grep -q "killswitch" \
    || { echo "check-manual: the $shell completion script does not offer killswitch" >&2; exit 1; }
done
echo "check-manual: $page has an entry for each of $(echo "$commands" | wc -l) commands; completions for bash, zsh and fish"
