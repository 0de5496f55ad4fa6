#!/usr/bin/env bash
# One command for the whole benchmark: bash bench/run.sh [options]  (options: node bench/run.mjs --help)
# Installs the pinned peers + esbuild + playwright-core (npm ci, from bench/package-lock.json), then runs
# bench/run.mjs: build the release package, sizes, load time in headless Chromium, overhead against the mock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
# Reinstall only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bench] npm ci (bench/package-lock.json)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
exec node "$here/run.mjs" "$@"
