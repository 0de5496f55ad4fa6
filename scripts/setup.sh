#!/usr/bin/env bash
# scripts/setup.sh: idempotent installer of everything nexudus-auth needs to build, test and demo.
# Installs only what is missing, so a second run takes a few seconds.
#
# Self-contained: it reads nothing outside the repo. Why each step is the way it is (routes, pins,
# workarounds) is in docs/PLATFORM.md, sections 6 and 12-17.
#
# Usage:  bash scripts/setup.sh [--no-browsers]
#   --no-browsers   skip Chromium, chromedriver, Firefox ESR, geckodriver and WebKitGTK (enough for scripts/demo.sh)
# Env knobs: WASM_BINDGEN_VERSION [from Cargo.lock]  GECKODRIVER_VERSION [0.37.1]
#   BINARYEN_NPM_VERSION [132.0.0]  RUSTUP_TIMEOUT [30]  FORCE_ROUTE [auto|rustup|debian]
#   NEXUDUS_NIGHTLY [$NEXUDUS_NIGHTLY_PIN of scripts/lib.sh]  NIGHTLY_TIMEOUT [180]
#   NEXUDUS_TOOLS_DIR [$HOME/.local/nexudus-auth-tools]  (binaryen, wrapper bin dir, env.sh)
# Afterwards: `. "$HOME/.local/nexudus-auth-tools/env.sh"` (build.sh, test.sh and demo.sh do this).
#
# What it sets up:
#   apt      ca-certificates gcc libc6-dev brotli (+ chromium chromium-driver firefox-esr
#            webkit2gtk-driver xvfb xauth) (+ nodejs npm)
#   Rust     the wasm32-unknown-unknown std: `rustup target add` (timeout), else the Debian fallback
#            "route (a)": rustc-web 1.96 + rust-web-src + -Zbuild-std, linked with wasm-ld-19;
#            the pinned nightly (+ rust-src, wasm32) that build.sh uses for the release package only
#   cargo    wasm-bindgen-cli at EXACTLY Cargo.lock's wasm-bindgen version; geckodriver 0.37.1
#   npm      binaryen 132 (wasm-opt). Never Debian's binaryen 108: it corrupts wasm-bindgen 0.2.13x
#            output (docs/PLATFORM.md#binaryen-version); never `wasm-opt -all` (#wasm-opt-all).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BROWSERS=1
for a in "$@"; do
  case "$a" in
    --no-browsers) BROWSERS=0 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) die "unknown argument: $a (usage: setup.sh [--no-browsers])" ;;
  esac
done

GECKODRIVER_VERSION=${GECKODRIVER_VERSION:-0.37.1}
BINARYEN_NPM_VERSION=${BINARYEN_NPM_VERSION:-132.0.0}
RUSTUP_TIMEOUT=${RUSTUP_TIMEOUT:-30}
FORCE_ROUTE=${FORCE_ROUTE:-auto}
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
CARGO_BIN=$CARGO_HOME/bin
export PATH="$NEXUDUS_TOOLS_DIR/bin:$CARGO_BIN:$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$NEXUDUS_TOOLS_DIR/bin"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

TIMINGS=()
TS=$(_nx_now)
done_step() {  # done_step <name> <what happened>
  local d=$(( $(_nx_now) - TS ))
  TIMINGS+=("$(printf '%-18s %4ss  %s' "$1" "$d" "$2")")
  TS=$(_nx_now)
}

# ---------------------------------------------------------------- apt
APT_UPDATED=0
APT_DID=""
apt_install() {  # installs only the packages that are missing; `apt-get update` at most once
  local missing=() p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $APT_UPDATED -eq 0 ]; then
    info "apt-get update"
    $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
    APT_UPDATED=1
  fi
  info "apt-get install ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
  APT_DID="$APT_DID ${missing[*]}"
}

step "apt packages"
PKGS=(ca-certificates gcc libc6-dev brotli)
[ "$BROWSERS" = 1 ] && PKGS+=(chromium chromium-driver firefox-esr)
# WebKitGTK for tests/e2e in the WebKit engine: WebKitWebDriver + MiniBrowser, run under xvfb-run
[ "$BROWSERS" = 1 ] && PKGS+=(webkit2gtk-driver xvfb xauth)
command -v npm >/dev/null || PKGS+=(nodejs npm)
apt_install "${PKGS[@]}"
[ -n "$APT_DID" ] || info "all present: ${PKGS[*]}"
done_step apt "${APT_DID:- nothing to do}"

# ---------------------------------------------------------------- Rust + wasm32 std
has_wasm_std() {  # has_wasm_std <rustc>
  local d; d=$("$1" --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
  compgen -G "$d/libstd-*.rlib" >/dev/null
}
step "Rust toolchain with the wasm32-unknown-unknown std"
ROUTE=""; RUST_DID="already present"
if [ "$FORCE_ROUTE" != debian ] && command -v rustup >/dev/null && (cd "$ROOT" && rustc -V >/dev/null 2>&1); then
  if (cd "$ROOT" && has_wasm_std rustc); then
    ROUTE=rustup; info "rustup toolchain already has the wasm32 std"
  else
    info "rustup target add wasm32-unknown-unknown (timeout ${RUSTUP_TIMEOUT}s)"
    if (cd "$ROOT" && timeout -k 5 "$RUSTUP_TIMEOUT" rustup target add wasm32-unknown-unknown) \
       && (cd "$ROOT" && has_wasm_std rustc); then
      ROUTE=rustup; RUST_DID="rustup target add wasm32-unknown-unknown"
    else
      warn "rustup could not add the wasm32 target (offline?): Debian rustc-web + -Zbuild-std fallback"
    fi
  fi
  if [ "$ROUTE" = rustup ]; then
    # clippy and rustfmt for test.sh (in the default profile already; cheap to check)
    # (no `cmd | grep -q` under pipefail: grep exits early, cmd gets SIGPIPE, the test fails at random)
    INSTALLED=$(cd "$ROOT" && rustup component list --installed 2>/dev/null || true)
    for c in clippy rustfmt; do
      grep -q "^$c" <<<"$INSTALLED" || {
        info "rustup component add $c"; (cd "$ROOT" && timeout -k 5 120 rustup component add "$c") || warn "could not add $c"; }
    done
  fi
fi
[ "$FORCE_ROUTE" = rustup ] && [ "$ROUTE" != rustup ] && die "FORCE_ROUTE=rustup but no rustup wasm32 std"

if [ -z "$ROUTE" ]; then
  # Route (a), docs/PLATFORM.md#debian-rust-route: rustc-web/cargo-web 1.96 (bookworm-security) + its library sources
  # (/usr/lib/rustlib/src/rust -> /usr/src/rustc-1.96.0) let cargo rebuild std for wasm32
  # (CARGO_UNSTABLE_BUILD_STD); Debian's rustc has no rust-lld, lld-19 provides wasm-ld-19.
  ROUTE=debian; RUST_DID="route (a): Debian rustc-web + build-std"
  apt_install rustc-web cargo-web rust-web-src libstd-rust-web-dev lld-19
  [ -d /usr/lib/rustlib/src/rust/library/std ] || die "rust-web-src did not provide /usr/lib/rustlib/src/rust/library"
  mkdir -p "$NEXUDUS_TOOLS_DIR/debian-rust/bin"
  ln -sf /usr/bin/cargo /usr/bin/rustc /usr/bin/rustdoc "$NEXUDUS_TOOLS_DIR/debian-rust/bin/"
  # tools that ask `rustc --print target-libdir --target wasm32-unknown-unknown` want it to exist (docs/PLATFORM.md#wasm-pack-sysroot)
  $SUDO mkdir -p /usr/lib/rustlib/wasm32-unknown-unknown/lib
  export PATH="$NEXUDUS_TOOLS_DIR/debian-rust/bin:$PATH" RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
fi
info "route: $ROUTE | $(rustc -V) | $(cargo -V)"
done_step rust "$RUST_DID"

# ---------------------------------------------------------------- pinned nightly (release package only)
# scripts/build.sh builds the release wasm with it: -Zbuild-std=std,panic_abort + optimize_for_size,
# -Cpanic=immediate-abort, -Zlocation-detail=none (sizes: bench/RESULTS.md). Tests, clippy and the native
# build stay on stable. Not installed (offline, timeout, route a) = build.sh falls back to stable, loudly.
NIGHTLY=${NEXUDUS_NIGHTLY:-$NEXUDUS_NIGHTLY_PIN}
NIGHTLY_TIMEOUT=${NIGHTLY_TIMEOUT:-180}
nightly_ready() {  # the toolchain, its rust-src (for -Zbuild-std) and the wasm32 target are installed
  local sysroot
  sysroot=$(rustup run "$NIGHTLY" rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/src/rust/library/std" ] && has_wasm_std "$sysroot/bin/rustc"
}
step "pinned nightly $NIGHTLY with rust-src + wasm32 (release package only)"
NIGHTLY_OK=0; NIGHTLY_DID="already present"
if [ "$ROUTE" != rustup ]; then
  NIGHTLY_DID="skipped (no rustup route)"
elif nightly_ready; then
  NIGHTLY_OK=1
else
  info "rustup toolchain install $NIGHTLY --profile minimal -c rust-src -t wasm32-unknown-unknown (timeout ${NIGHTLY_TIMEOUT}s)"
  if timeout -k 5 "$NIGHTLY_TIMEOUT" rustup toolchain install "$NIGHTLY" --profile minimal \
       --component rust-src --target wasm32-unknown-unknown && nightly_ready; then
    NIGHTLY_OK=1; NIGHTLY_DID="rustup toolchain install $NIGHTLY"
  else
    NIGHTLY_DID="FAILED: release builds fall back to stable"
  fi
fi
if [ "$NIGHTLY_OK" = 1 ]; then
  info "$(rustup run "$NIGHTLY" rustc -V)"
else
  warn "the pinned nightly $NIGHTLY is not available ($NIGHTLY_DID): scripts/build.sh will build the"
  warn "release package with stable, without the size levers (a bigger package; tests are unaffected)"
fi
done_step nightly "$NIGHTLY_DID"

# ---------------------------------------------------------------- wasm-bindgen version from Cargo.lock
step "wasm-bindgen version (Cargo.lock)"
LOCK=$ROOT/Cargo.lock
if [ ! -f "$LOCK" ]; then
  info "no Cargo.lock: cargo generate-lockfile"
  (cd "$ROOT" && cargo generate-lockfile) || warn "cargo generate-lockfile failed (crate incomplete?)"
fi
WB_SRC="Cargo.lock"
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-$(lock_version wasm-bindgen "$LOCK")}
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  # no lock yet: the exact pin in Cargo.toml (`wasm-bindgen = "=0.2.130"`)
  WASM_BINDGEN_VERSION=$(sed -nE 's/^wasm-bindgen *= *"=?([0-9.]+)".*/\1/p' "$ROOT/Cargo.toml" | head -1)
  WB_SRC="Cargo.toml"
fi
[ -n "$WASM_BINDGEN_VERSION" ] || die "cannot tell the wasm-bindgen version (no Cargo.lock entry, no Cargo.toml pin)"
info "wasm-bindgen $WASM_BINDGEN_VERSION (from $WB_SRC)"
done_step lockfile "wasm-bindgen $WASM_BINDGEN_VERSION from $WB_SRC"

# ---------------------------------------------------------------- cargo-installed tools
cargo_tool() {  # cargo_tool <crate> <version> <binary>; sets TOOL_DID
  local crate=$1 ver=$2 bin=$3
  local have=""
  [ -x "$CARGO_BIN/$bin" ] && have=$("$CARGO_BIN/$bin" --version 2>/dev/null || true)
  if grep -qw -- "$ver" <<<"$have"; then
    info "$crate $ver already installed"; TOOL_DID="already installed"; return 0
  fi
  info "cargo install $crate --version $ver --locked"
  if ! cargo install --quiet --force "$crate" --version "$ver" --locked; then
    # wasm-bindgen-cli 0.2.130's lockfile pins webpki-roots 1.0.11, absent from this index (docs/PLATFORM.md#wasm-bindgen-cli-locked)
    warn "--locked failed; retrying without --locked"
    cargo install --quiet --force "$crate" --version "$ver"
  fi
  TOOL_DID="cargo install $crate $ver"
}
step "wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal wasm-bindgen in Cargo.lock)"
cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
[ -x "$CARGO_BIN/wasm-bindgen-test-runner" ] || die "wasm-bindgen-test-runner missing after installing wasm-bindgen-cli"
done_step wasm-bindgen-cli "$TOOL_DID"

if [ "$BROWSERS" = 1 ]; then
  step "geckodriver $GECKODRIVER_VERSION (not packaged by Debian)"
  cargo_tool geckodriver "$GECKODRIVER_VERSION" geckodriver
  done_step geckodriver "$TOOL_DID"
fi

# ---------------------------------------------------------------- binaryen (wasm-opt) from npm
step "binaryen $BINARYEN_NPM_VERSION (npm) -> $NEXUDUS_TOOLS_DIR/bin/wasm-opt"
BDIR=$NEXUDUS_TOOLS_DIR/binaryen
WASM_OPT=$NEXUDUS_TOOLS_DIR/bin/wasm-opt
BIN_DID="already installed"
WO_VER=$("$WASM_OPT" --version 2>/dev/null || true)   # binaryen.js: ~1 s per start, so ask once
if ! grep -q "version ${BINARYEN_NPM_VERSION%%.*}" <<<"$WO_VER"; then
  mkdir -p "$BDIR"
  npm install --silent --no-audit --no-fund --no-save --prefix "$BDIR" "binaryen@$BINARYEN_NPM_VERSION" >/dev/null
  ln -sf "$BDIR/node_modules/binaryen/bin/wasm-opt" "$WASM_OPT"
  BIN_DID="npm install binaryen@$BINARYEN_NPM_VERSION"
  WO_VER=$("$WASM_OPT" --version)
  grep -q "version ${BINARYEN_NPM_VERSION%%.*}" <<<"$WO_VER" || die "wasm-opt is not binaryen ${BINARYEN_NPM_VERSION%%.*}: $WO_VER"
fi
info "$WO_VER"
done_step binaryen "$BIN_DID"

# ---------------------------------------------------------------- env file
step "env file $NEXUDUS_ENV_FILE"
{
  echo "# generated by nexudus-auth scripts/setup.sh on $(date -u +%FT%TZ) (route: $ROUTE); re-run it to refresh"
  echo "export NEXUDUS_RUST_ROUTE=$ROUTE"
  if [ "$ROUTE" = debian ]; then
    echo "export PATH=\"$NEXUDUS_TOOLS_DIR/debian-rust/bin:$NEXUDUS_TOOLS_DIR/bin:$CARGO_BIN:\$PATH\""
    echo "export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1"
    echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19"
    # applies to every cargo run (host builds rebuild std too, ~40 s once per target dir: docs/PLATFORM.md#build-std-host)
    echo "export CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
  else
    echo "export PATH=\"$NEXUDUS_TOOLS_DIR/bin:$CARGO_BIN:\$PATH\""
  fi
  echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner"
  echo "export WASM_OPT=\"$WASM_OPT\"   # binaryen ${BINARYEN_NPM_VERSION%%.*} (never Debian's 108, never -all)"
  echo "export WASM_BINDGEN_VERSION=$WASM_BINDGEN_VERSION"
  # Drivers under their own names: the runner picks Firefox when both CHROMEDRIVER and GECKODRIVER
  # are set (docs/PLATFORM.md#both-drivers), so test.sh sets exactly one of them per run.
  if [ -x /usr/bin/chromedriver ]; then echo "export NEXUDUS_CHROMEDRIVER=/usr/bin/chromedriver"; fi
  if [ -x "$CARGO_BIN/geckodriver" ]; then echo "export NEXUDUS_GECKODRIVER=\"$CARGO_BIN/geckodriver\""; fi
} > "$NEXUDUS_ENV_FILE.tmp"
mv "$NEXUDUS_ENV_FILE.tmp" "$NEXUDUS_ENV_FILE"
load_env
info "$(wasm-bindgen --version) | $(wasm-bindgen-test-runner --version) | $(node --version) node"
if [ "$BROWSERS" = 1 ]; then
  info "$(chromium --version 2>/dev/null) | $(chromedriver --version | cut -d' ' -f1-2)"
  info "$(firefox-esr --version 2>/dev/null) | $(geckodriver --version 2>/dev/null | sed -n 1p)"
  info "WebKitGTK $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null) | $(command -v WebKitWebDriver) | $(command -v xvfb-run)"
fi
done_step env-file "written"

echo
echo "== setup.sh done in $(( $(_nx_now) - _NX_T0 ))s (route: $ROUTE, browsers: $([ "$BROWSERS" = 1 ] && echo yes || echo skipped))"
for t in "${TIMINGS[@]}"; do echo "   $t"; done
echo "   env: . \"$NEXUDUS_ENV_FILE\""
