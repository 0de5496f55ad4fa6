#!/usr/bin/env bash
# scripts/test.sh: THE one command that installs what is missing and runs every test.
#
# Usage:  bash scripts/test.sh            (CI: .ci/run; no prompts, no colours)
# Levels, in order (each logged to target/test-logs/<level>.log; everything to target/test-logs/test.log):
#   setup          scripts/setup.sh (toolchain, browsers, drivers; seconds when all is present)
#   fmt            cargo fmt --all --check
#   clippy         cargo clippy --workspace --all-targets -- -D warnings
#   clippy-wasm    cargo clippy -p nexudus-auth --target wasm32-unknown-unknown --all-targets -- -D warnings
#   native         cargo test --workspace (pure core + mock server)
#   build          scripts/build.sh (release pkg/ on the pinned nightly, else stable with a warning; wasm-opt'd;
#                  both web entries loaded once in node)
#   check-js       scripts/check-js.sh: tsc --checkJs (strict) over the JavaScript shell, pkg-template/shell/
#   mock-build     cargo build -p nexudus-mock --release
#   mock           the mock started on $NEXUDUS_MOCK_PORT (18787) in the background (stopped on exit)
#   wasm-chromium  wasm-bindgen-test, tests/web_*.rs (the synchronous wasm API), headless Chromium (chromedriver)
#   wasm-firefox   the same in headless Firefox ESR (geckodriver)
#   e2e            node --test tests/e2e/*.test.mjs (playwright-core + Debian chromium) against the mock + pkg/
#   e2e-firefox    the engine-neutral e2e files (multitab, engines-probe, engines-load, api-signin, api-failures)
#                  in Firefox ESR
#   e2e-webkit     the same in WebKitGTK (WebKitWebDriver + MiniBrowser under xvfb-run)
#   bundlers       tests/bundlers/matrix.test.mjs: the packed tarball built by esbuild, Rollup, Vite (build + dev),
#                  webpack 5, Next.js and Parcel, each app signed in through in Chromium (npm ci cached by lock hash)
#   size           node bench/size-check.mjs (brotli of web wasm + glue + entry vs bench/size-baseline.json)
# Counts come from structured reports, never from what a test prints: node --test writes them through
# scripts/test-counts-reporter.mjs to target/test-logs/<level>.counts.json; cargo test and
# wasm-bindgen-test from their own `test result:` summary lines (a test's own output is only shown when it
# fails, and then the level is red anyway). Skipped (cargo: ignored) and todo tests are shown per level.
# A test level that runs zero tests (none found, or all skipped) fails, unless the script declares it
# skipped with a reason (skip). Any failure makes the script exit 1. The last line is
# `N passed, M failed` (tests, plus 1 per check level: fmt, clippy, build, ...), followed by
# `, K skipped` when tests were skipped.
# Env: NEXUDUS_MOCK_PORT [18787]  NEXUDUS_LEVEL_TIMEOUT [1500 s per level]  WASM_BINDGEN_TEST_TIMEOUT [120]
#   NEXUDUS_LEVELS    only these levels (e.g. "native e2e"); the others are skipped with that reason. The
#                     mock is started when a level needs it; an unselected build uses the existing pkg/.
#   NEXUDUS_E2E_FILES only these e2e test files (paths relative to the repo), instead of tests/e2e/*.test.mjs
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

export CI=${CI:-}
export NO_COLOR=1 CARGO_TERM_COLOR=never
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false npm_config_progress=false
LOG_DIR=$ROOT/target/test-logs
rm -rf "$LOG_DIR"; mkdir -p "$LOG_DIR"
exec > >(tee -a "$LOG_DIR/test.log") 2>&1

MOCK_PORT=${NEXUDUS_MOCK_PORT:-18787}
MOCK_URL=http://127.0.0.1:$MOCK_PORT
LEVEL_TIMEOUT=${NEXUDUS_LEVEL_TIMEOUT:-1500}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

tmo() { timeout -k 20 "$LEVEL_TIMEOUT" "$@"; }

# ---------------------------------------------------------------- bookkeeping
LEVELS=()
declare -A PASS FAIL SKIP TODO NOTE SECS KIND
record() {  # record <level> <kind: tests|check|skip> <passed> <failed> <seconds> <note> [<skipped> <todo>]
  LEVELS+=("$1"); KIND[$1]=$2; PASS[$1]=$3; FAIL[$1]=$4; SECS[$1]=$5; NOTE[$1]=$6
  SKIP[$1]=${7:-0}; TODO[$1]=${8:-0}
}
# selected <level>...: true when NEXUDUS_LEVELS is unset or names one of the levels.
selected() {
  [ -z "${NEXUDUS_LEVELS:-}" ] && return 0
  local l
  for l in "$@"; do
    [[ " ${NEXUDUS_LEVELS//,/ } " == *" $l "* ]] && return 0
  done
  return 1
}
NOT_SELECTED="not in NEXUDUS_LEVELS=${NEXUDUS_LEVELS:-}"
skip() {  # skip <level> <why>
  step "$1: SKIPPED - $2"
  record "$1" skip 0 0 0 "skipped: $2"
}

# cargo_counts <log>: "passed failed ignored" summed over the `test result:` lines of cargo test /
# wasm-bindgen-test-runner (one per test binary, doc-tests included).
cargo_counts() {
  grep -aoE '^test result: (ok|FAILED)\. [0-9]+ passed; [0-9]+ failed; [0-9]+ ignored;' "$1" |
    awk '{p += $4; f += $6; s += $8} END {print p + 0, f + 0, s + 0}'
}

# node_counts <counts.json>: "passed failed skipped todo" from scripts/test-counts-reporter.mjs's
# report; nothing when the file is missing or unreadable (the run died before the end).
node_counts() {
  node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const n = ["passed", "failed", "skipped", "todo"].map((k) => c[k]);
    if (n.every(Number.isSafeInteger)) console.log(n.join(" "));' "$1" 2>/dev/null || true
}

# run_level <level> <kind: cargo|node|check> <cmd...>: runs cmd (with a timeout), tees its output to
# target/test-logs/<level>.log, records counts. Returns the command's exit status.
run_level() {
  local level=$1 kind=$2; shift 2
  local log=$LOG_DIR/$level.log t0 rc p=0 f=0 s=0 t=0 note=""
  local -a cmd=("$@")
  # external commands get the level timeout; shell functions put `tmo` on their own long commands
  declare -F "$1" >/dev/null || cmd=(tmo "$@")
  step "$level: $*"
  t0=$(_nx_now)
  set +e
  "${cmd[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" -eq 124 ] && note="TIMED OUT after ${LEVEL_TIMEOUT}s; "
  case "$kind" in
    cargo)
      read -r p f s < <(cargo_counts "$log")
      ;;
    node)
      local counts
      counts=$(node_counts "$LOG_DIR/$level.counts.json")
      if [ -n "$counts" ]; then
        read -r p f s t <<<"$counts"
      else
        note="no counts report ($LOG_DIR/$level.counts.json); "
      fi
      ;;
    check)
      if [ "$rc" -eq 0 ]; then p=1; f=0; else p=0; f=1; fi
      ;;
  esac
  if [ "$kind" != check ] && [ $((p + f)) -eq 0 ]; then
    # A level that ran nothing is not a pass: only skip() (with its reason) may leave a level empty.
    f=1; note="${note}ran zero tests ($s skipped, $t todo); "
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1; note="${note}exit $rc without a failed test (build error?), see $log"
  elif [ "$rc" -ne 0 ]; then
    note="${note}exit $rc, see $log"
  fi
  [ "$kind" = check ] && kind=check || kind=tests
  note=${note%; }
  record "$level" "$kind" "$p" "$f" "$(( $(_nx_now) - t0 ))" "$note" "$s" "$t"
  [ "$f" -eq 0 ] || [ "$rc" -ne 0 ] || rc=1
  return "$rc"
}

MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ] && kill -0 "$MOCK_PID" 2>/dev/null; then
    kill "$MOCK_PID" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$MOCK_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$MOCK_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

summary() {
  local l tp=0 tf=0 ts=0 tt=0 cp=0 cf=0
  echo
  echo "======================================= test summary ======================================="
  printf '%-14s %7s %7s %7s %5s %6s  %s\n' level passed failed skipped todo time note
  for l in "${LEVELS[@]}"; do
    printf '%-14s %7s %7s %7s %5s %5ss  %s\n' "$l" "${PASS[$l]}" "${FAIL[$l]}" "${SKIP[$l]}" "${TODO[$l]}" \
      "${SECS[$l]}" "${NOTE[$l]}"
    case "${KIND[$l]}" in
      tests) tp=$((tp + PASS[$l])); tf=$((tf + FAIL[$l])); ts=$((ts + SKIP[$l])); tt=$((tt + TODO[$l])) ;;
      check) cp=$((cp + PASS[$l])); cf=$((cf + FAIL[$l])) ;;
    esac
  done
  echo "--------------------------------------------------------------------------------------------"
  echo "tests: $tp passed, $tf failed, $ts skipped, $tt todo | checks: $cp passed, $cf failed |" \
    "wall time $(( $(_nx_now) - _NX_T0 ))s"
  echo "logs: $LOG_DIR/"
  if [ "$ts" -gt 0 ]; then
    echo "$((tp + cp)) passed, $((tf + cf)) failed, $ts skipped"
  else
    echo "$((tp + cp)) passed, $((tf + cf)) failed"
  fi
  TOTAL_FAILED=$((tf + cf))
}

# ---------------------------------------------------------------- setup
if ! selected setup; then
  skip setup "$NOT_SELECTED"
elif ! run_level setup check bash "$ROOT/scripts/setup.sh"; then
  summary; exit 1
fi
load_env || { echo "ERROR: no env file after setup.sh"; summary; exit 1; }

# Route (a) (Debian rustc-web) has no clippy/rustfmt of its own: lint with rustup's toolchain if present.
lint_cargo() {
  if [ "${NEXUDUS_RUST_ROUTE:-rustup}" = debian ]; then
    env -u RUSTC -u RUSTDOC -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD \
      -u CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER \
      PATH="${PATH//$NEXUDUS_TOOLS_DIR\/debian-rust\/bin:/}" cargo "$@"
  else
    cargo "$@"
  fi
}

# ---------------------------------------------------------------- static checks
if [ "${NEXUDUS_RUST_ROUTE:-rustup}" = debian ] && ! lint_cargo fmt --version >/dev/null 2>&1; then
  skip fmt "route (a) toolchain has no rustfmt"
  skip clippy "route (a) toolchain has no clippy"
else
  if selected fmt; then run_level fmt check lint_cargo fmt --all --check || true; else skip fmt "$NOT_SELECTED"; fi
  if selected clippy; then
    run_level clippy check lint_cargo clippy --workspace --all-targets -- -D warnings || true
  else
    skip clippy "$NOT_SELECTED"
  fi
fi
if ! selected clippy-wasm; then
  skip clippy-wasm "$NOT_SELECTED"
elif [ "${NEXUDUS_RUST_ROUTE:-rustup}" = debian ]; then
  skip clippy-wasm "route (a): rustup has no wasm32 std, Debian rustc-web has no clippy"
else
  run_level clippy-wasm check cargo clippy -p nexudus-auth --target wasm32-unknown-unknown --all-targets -- -D warnings || true
fi

# ---------------------------------------------------------------- native tests
if selected native; then
  run_level native cargo cargo test --workspace --no-fail-fast || true
else
  skip native "$NOT_SELECTED"
fi

# ---------------------------------------------------------------- release package
BUILD_OK=0
if selected build; then
  run_level build check bash "$ROOT/scripts/build.sh" && BUILD_OK=1
elif [ -f "$ROOT/pkg/index.js" ]; then
  skip build "$NOT_SELECTED; the existing pkg/ is used"; BUILD_OK=1
else
  skip build "$NOT_SELECTED; no pkg/ to use"
fi
# The JavaScript shell's JSDoc types, against the Machine's types the build generated.
if ! selected check-js; then
  skip check-js "$NOT_SELECTED"
elif [ "$BUILD_OK" != 1 ]; then
  skip check-js "needs the built pkg/ (see level build)"
else
  run_level check-js check bash "$ROOT/scripts/check-js.sh" || true
fi

# ---------------------------------------------------------------- mock server
# Started in this shell (not in a pipeline) so that the trap can stop it; its output goes to
# target/test-logs/mock-server.log.
MOCK_OK=0
start_mock() {
  local bin=$TARGET_DIR/release/nexudus-mock t0
  t0=$(_nx_now)
  step "mock: start $bin on port $MOCK_PORT"
  if [ ! -x "$bin" ]; then
    record mock check 0 1 0 "no $bin"; return 1
  fi
  if port_busy "$MOCK_PORT"; then
    echo "port $MOCK_PORT is already in use (a stale mock?); set NEXUDUS_MOCK_PORT to a free port"
    record mock check 0 1 0 "port $MOCK_PORT already in use"; return 1
  fi
  mkdir -p "$ROOT/pkg"   # served by the mock; only empty when the build failed (levels needing it are skipped)
  echo "   $bin --port $MOCK_PORT --www www --pkg pkg   (log: $LOG_DIR/mock-server.log)"
  "$bin" --port "$MOCK_PORT" --www www --pkg pkg </dev/null >"$LOG_DIR/mock-server.log" 2>&1 &
  MOCK_PID=$!
  if ! wait_http "$MOCK_URL/mock/users" "$MOCK_PID" 60; then
    if kill -0 "$MOCK_PID" 2>/dev/null; then
      echo "the mock did not answer GET $MOCK_URL/mock/users within 60 s; its log:"
    else
      local st=0; wait "$MOCK_PID" || st=$?
      echo "the mock exited (status $st) before answering GET $MOCK_URL/mock/users; its log:"
    fi
    sed 's/^/   | /' "$LOG_DIR/mock-server.log"
    record mock check 0 1 "$(( $(_nx_now) - t0 ))" "did not answer GET /mock/users, see mock-server.log"
    return 1
  fi
  echo "   mock up (pid $MOCK_PID): $MOCK_URL"
  record mock check 1 0 "$(( $(_nx_now) - t0 ))" "pid $MOCK_PID, $MOCK_URL"
}
if ! selected mock-build mock wasm-chromium wasm-firefox e2e e2e-firefox e2e-webkit bundlers; then
  skip mock "$NOT_SELECTED (and no level that needs it is)"
elif [ ! -f "$ROOT/mock-server/Cargo.toml" ]; then
  skip mock "no mock-server/ crate yet"
elif run_level mock-build check cargo build -p nexudus-mock --release && start_mock; then
  MOCK_OK=1
fi

# ---------------------------------------------------------------- wasm-bindgen-test in browsers
mapfile -t WEB_FILES < <(cd "$ROOT" && find tests -maxdepth 1 -name 'web_*.rs' | sort)
WEB_ARGS=()
for f in "${WEB_FILES[@]}"; do WEB_ARGS+=(--test "$(basename "$f" .rs)"); done
wasm_tests() {  # wasm_tests <chromium|firefox>
  local -a drv
  if [ "$1" = chromium ]; then
    drv=(env -u GECKODRIVER -u SAFARIDRIVER CHROMEDRIVER="${NEXUDUS_CHROMEDRIVER:-/usr/bin/chromedriver}")
  else
    drv=(env -u CHROMEDRIVER -u SAFARIDRIVER GECKODRIVER="${NEXUDUS_GECKODRIVER:-$HOME/.cargo/bin/geckodriver}")
  fi
  tmo "${drv[@]}" NEXUDUS_MOCK_URL="$MOCK_URL" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p nexudus-auth --target wasm32-unknown-unknown --no-fail-fast "${WEB_ARGS[@]}"
}
for browser in chromium firefox; do
  if ! selected "wasm-$browser"; then
    skip "wasm-$browser" "$NOT_SELECTED"
  elif [ ${#WEB_FILES[@]} -eq 0 ]; then
    skip "wasm-$browser" "no tests/web_*.rs yet"
  elif [ "$MOCK_OK" != 1 ]; then
    skip "wasm-$browser" "the mock is not running (see level mock)"
  else
    run_level "wasm-$browser" cargo wasm_tests "$browser" || true
  fi
done

# ---------------------------------------------------------------- browser end-to-end (Node + playwright-core)
if [ -n "${NEXUDUS_E2E_FILES:-}" ]; then
  read -r -a E2E_FILES <<<"$NEXUDUS_E2E_FILES"
else
  mapfile -t E2E_FILES < <(cd "$ROOT" && find tests/e2e -name '*.test.mjs' -not -path '*/node_modules/*' 2>/dev/null | sort)
fi
# node_tests <counts-name> <file>...: node --test over the files one at a time, the spec report on
# stdout and the counts into $LOG_DIR/<counts-name>.counts.json (read back by node_counts). The
# caller's VAR=value prefixes reach the tests (bash exports them for the function's commands).
node_tests() {
  local name=$1; shift
  tmo node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter="$ROOT/scripts/test-counts-reporter.mjs" --test-reporter-destination="$LOG_DIR/$name.counts.json" \
    "$@"
}
# e2e_deps: tests/e2e/node_modules (playwright-core) from its lock file, unless already there.
e2e_deps() {
  [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] || (cd "$ROOT/tests/e2e" && tmo npm ci --no-audit --no-fund)
}
e2e_tests() {
  if [ -f tests/e2e/package-lock.json ]; then
    (cd tests/e2e && tmo npm ci --no-audit --no-fund) || return
  elif [ -f tests/e2e/package.json ]; then
    (cd tests/e2e && tmo npm install --no-audit --no-fund) || return
  fi
  NEXUDUS_MOCK_URL="$MOCK_URL" CHROMIUM=/usr/bin/chromium PKG_DIR="$ROOT/pkg" node_tests e2e "${E2E_FILES[@]}"
}
if ! selected e2e; then
  skip e2e "$NOT_SELECTED"
elif [ ${#E2E_FILES[@]} -eq 0 ]; then
  skip e2e "no tests/e2e/*.test.mjs yet"
elif [ "$BUILD_OK" != 1 ] || [ "$MOCK_OK" != 1 ]; then
  skip e2e "needs the built pkg/ and the mock (see levels build, mock)"
else
  run_level e2e node e2e_tests || true
fi

# ---------------------------------------------------------------- e2e in Firefox ESR and WebKitGTK
# The engine-neutral files run through tests/e2e/engines/driver.mjs (Chromium runs them in level e2e);
# here the same test bodies drive Firefox (geckodriver) and WebKitGTK (WebKitWebDriver), see docs/ENGINES.md.
ENGINE_FILES=(tests/e2e/multitab.test.mjs tests/e2e/engines-probe.test.mjs tests/e2e/engines-load.test.mjs
  tests/e2e/api-signin.test.mjs tests/e2e/api-failures.test.mjs tests/e2e/api-rebilly.test.mjs)
e2e_engine() {  # e2e_engine <firefox|webkit>
  e2e_deps || return
  NEXUDUS_MOCK_URL="$MOCK_URL" PKG_DIR="$ROOT/pkg" E2E_ENGINE="$1" \
    GECKODRIVER="${NEXUDUS_GECKODRIVER:-$HOME/.cargo/bin/geckodriver}" \
    node_tests "e2e-$1" "${ENGINE_FILES[@]}"
}
for engine in firefox webkit; do
  if ! selected "e2e-$engine"; then
    skip "e2e-$engine" "$NOT_SELECTED"
  elif [ "$BUILD_OK" != 1 ] || [ "$MOCK_OK" != 1 ]; then
    skip "e2e-$engine" "needs the built pkg/ and the mock (see levels build, mock)"
  elif [ "$engine" = firefox ] && ! command -v firefox-esr >/dev/null; then
    skip e2e-firefox "no firefox-esr (scripts/setup.sh installs it)"
  elif [ "$engine" = webkit ] && ! { command -v WebKitWebDriver && command -v xvfb-run; } >/dev/null; then
    skip e2e-webkit "no WebKitWebDriver / xvfb-run (scripts/setup.sh installs webkit2gtk-driver xvfb)"
  else
    run_level "e2e-$engine" node e2e_engine "$engine" || true
  fi
done

# ---------------------------------------------------------------- bundler matrix
# npm ci only when tests/bundlers/package-lock.json changed (stamp in node_modules), from a cache under
# ~/.cache keyed by nothing but npm's own content hashes (NEXUDUS_NPM_CACHE overrides it).
bundler_matrix() {
  local dir=$ROOT/tests/bundlers cache=${NEXUDUS_NPM_CACHE:-$HOME/.cache/nexudus-auth/npm} stamp
  stamp=$dir/node_modules/.lock-$(sha256sum "$dir/package-lock.json" | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    (cd "$dir" && npm_config_cache=$cache tmo npm ci --no-audit --no-fund --prefer-offline) || return
    touch "$stamp"
  fi
  e2e_deps || return
  NEXUDUS_MOCK_URL="$MOCK_URL" CHROMIUM=/usr/bin/chromium PKG_DIR="$ROOT/pkg" node_tests bundlers "$dir/matrix.test.mjs"
}
if ! selected bundlers; then
  skip bundlers "$NOT_SELECTED"
elif [ "$BUILD_OK" != 1 ] || [ "$MOCK_OK" != 1 ]; then
  skip bundlers "needs the built pkg/ and the mock (see levels build, mock)"
else
  run_level bundlers node bundler_matrix || true
fi

# ---------------------------------------------------------------- size budget
if ! selected size; then
  skip size "$NOT_SELECTED"
elif [ "$BUILD_OK" != 1 ]; then
  skip size "needs the built pkg/ (see level build)"
else
  run_level size check node bench/size-check.mjs --pkg "$ROOT/pkg" || true
fi

cleanup
summary
[ "$TOTAL_FAILED" -eq 0 ]
