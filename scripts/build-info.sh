#!/bin/sh
# Writes the Swift file that tells a gatehouse binary which commit it was built from (the
# BuildInfo plugin runs this before every build): build-info.sh PACKAGE_DIR OUTPUT_FILE.
#
# Outside a git checkout, or where git cannot read it, the commit is "unknown"; the file is
# rewritten only when its text changes, so that an unchanged checkout recompiles nothing.
set -u
package=$1
output=$2
commit=$(git -C "$package" rev-parse HEAD 2>/dev/null) || commit=unknown
case $commit in *[!0-9a-f]*|'') commit=unknown ;; esac
modified=false
if [ "$commit" != unknown ] && [ -n "$(git -C "$package" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  modified=true
fi
mkdir -p "$(dirname "$output")"
text="// Written by scripts/build-info.sh before every build; not in git.

/// The commit these sources were built from, as git saw the checkout at build time.
package enum BuildInfo {
    /// The full commit id, or \`unknown\` when the sources were not a git checkout.
    package static let commit = \"$commit\"
    /// Whether tracked files differed from that commit when it was built.
    package static let modified = $modified
}"
if [ ! -f "$output" ] || [ "$(cat "$output")" != "$text" ]; then
  printf '%s\n' "$text" > "$output.tmp" && mv "$output.tmp" "$output"
fi
