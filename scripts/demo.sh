#!/usr/bin/env bash
# scripts/demo.sh: from a fresh machine to the demo sign-in page in one command.
#   setup.sh --no-browsers  ->  build.sh (release pkg/)  ->  the mock server on ${PORT:-8787}, serving
#   www/ at / and pkg/ at /pkg/. Runs in the foreground; Ctrl-C stops it.
# Usage:  bash scripts/demo.sh          (PORT=9000 bash scripts/demo.sh for another port)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
PORT=${PORT:-8787}
URL=http://127.0.0.1:$PORT

step "setup (no browsers needed for the demo)"
bash scripts/setup.sh --no-browsers
load_env || die "setup.sh wrote no env file"
step "build pkg/"
bash scripts/build.sh
step "build the mock server"
cargo build -p nexudus-mock --release
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/nexudus-mock
port_busy "$PORT" && die "port $PORT is already in use: stop what runs there or use PORT=<other> bash scripts/demo.sh"

step "start: $BIN --port $PORT --www www --pkg pkg"
"$BIN" --port "$PORT" --www www --pkg pkg &
MOCK_PID=$!
stop() { kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; }
trap stop EXIT
trap 'exit 0' INT TERM
wait_http "$URL/mock/users" "$MOCK_PID" 60 || die "the mock did not answer on $URL (see its output above)"

USERS=$(node -e '
  fetch(process.argv[1]).then(r => r.json()).then(us => {
    for (const u of us) console.log(`     ${u.email.padEnd(20)} ${u.password.padEnd(10)} ${u.kind}${u.totp ? "  (TOTP now: " + u.totp + ", live: /mock/totp/" + u.email + ")" : ""}`);
  }).catch(e => console.log("     (could not list users: " + e.message + ")"));' "$URL/mock/users")
cat <<BANNER

==============================================================================
  nexudus-auth demo is running (Ctrl-C to stop)

    Demo sign-in page:  $URL/
    Mock outbox:        $URL/mock/outbox     (password-reset and magic-link emails)

  Demo users:
$USERS
==============================================================================
BANNER
wait "$MOCK_PID"
