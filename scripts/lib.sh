# shellcheck shell=bash
# scripts/lib.sh: shell helpers shared by setup.sh, build.sh, test.sh and demo.sh (sourced, not run).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export NEXUDUS_TOOLS_DIR=${NEXUDUS_TOOLS_DIR:-$HOME/.local/nexudus-auth-tools}
NEXUDUS_ENV_FILE=$NEXUDUS_TOOLS_DIR/env.sh
# The pinned nightly that scripts/build.sh builds the release package with (installed by setup.sh).
# nightly-2026-05-20 is rustc 1.97.0-nightly (e50aa6fba 2026-05-19): rustup names a nightly by the day
# it was published, the day after its commit date.
NEXUDUS_NIGHTLY_PIN=nightly-2026-05-20
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

_NX_T0=${_NX_T0:-$(date +%s)}
_nx_now() { date +%s; }
# step "<title>": prints a numbered header with the seconds since the script started.
step() { printf '\n== [%4ss] %s\n' "$(( $(_nx_now) - _NX_T0 ))" "$*"; }
info() { printf '   %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# load_env: source the env file written by scripts/setup.sh (PATH, WASM_OPT, route settings).
load_env() {
  [ -f "$NEXUDUS_ENV_FILE" ] || return 1
  # shellcheck disable=SC1090
  . "$NEXUDUS_ENV_FILE"
}

# lock_version <crate> <Cargo.lock>: the version Cargo.lock holds for <crate> (first entry).
lock_version() {
  [ -f "$2" ] || return 0
  awk -v n="name = \"$1\"" '$0==n {getline; gsub(/version = |"/, ""); print; exit}' "$2"
}

# crate_version: version of the nexudus-auth package (cargo metadata, else Cargo.toml).
crate_version() {
  local v=""
  v=$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      try { const p = JSON.parse(s).packages.find(p => p.name === "nexudus-auth"); if (p) console.log(p.version); } catch {}
    });') || true
  if [ -z "$v" ]; then
    v=$(awk '/^\[package\]/{p=1; next} /^\[/{p=0} p && /^version *=/ {gsub(/version *= *|"/, ""); print; exit}' "$ROOT/Cargo.toml")
  fi
  echo "$v"
}

# http_ok <url>: exit 0 when GET <url> answers 2xx within 2 s (node's fetch; no curl on a fresh machine).
http_ok() {
  node -e 'const c = new AbortController(); setTimeout(() => c.abort(), 2000);
    fetch(process.argv[1], {signal: c.signal}).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1));' "$1"
}

# port_busy <port>: exit 0 when something already listens on 127.0.0.1:<port>.
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_http <url> <pid> <seconds>: wait until <url> answers; fails early when <pid> died.
wait_http() {
  local url=$1 pid=$2 secs=$3 i
  for ((i = 0; i < secs * 4; i++)); do
    http_ok "$url" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

# js_tools: scripts/node_modules (the pinned rollup + typescript of scripts/package-lock.json, used by
# build.sh and check-js.sh), installed with `npm ci` when missing or when the lock file changed (a stamp
# named after the lock's hash).
js_tools() {
  local dir=$ROOT/scripts stamp
  stamp=$dir/node_modules/.lock-$(sha256sum "$dir/package-lock.json" | cut -c1-16)
  [ -f "$stamp" ] && return 0
  step "npm ci in scripts/ (rollup, typescript)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in scripts/ failed"
  touch "$stamp"
}
