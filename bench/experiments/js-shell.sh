#!/usr/bin/env bash
# bench/experiments/js-shell.sh: rebuild the JS-shell prototype of bench/RESULTS.md ("A JS shell around a
# synchronous core") and measure it beside the current package in one benchmark run.
#
# Usage:  bash bench/experiments/js-shell.sh [WORK_DIR]
#   clones this repository at the prototype's base commit into WORK_DIR/tree (default: a new temp dir),
#   applies js-shell.patch, builds that package with its scripts/build.sh, then runs
#   `bench/run.sh --compare WORK_DIR/tree/pkg --compare-label js-shell` (which builds pkg/ from this tree).
#   Optional: NEXUDUS_LEVELS=e2e bash scripts/test.sh inside WORK_DIR/tree runs the e2e level on the prototype.
# The prototype is an experiment, not shipped code: see bench/RESULTS.md for what it covers and what it does not.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
BASE=bafb763
work=${1:-$(mktemp -d /tmp/js-shell.XXXXXX)}
tree=$work/tree
[ -e "$tree" ] && { echo "$tree exists: pass another WORK_DIR" >&2; exit 1; }
git clone -q "$root" "$tree"
git -C "$tree" checkout -q "$BASE"
git -C "$tree" apply "$here/js-shell.patch"
echo "[js-shell] prototype tree: $tree" >&2
(cd "$tree" && bash scripts/build.sh)
exec bash "$root/bench/run.sh" --compare "$tree/pkg" --compare-label js-shell
