#!/usr/bin/env bash
# scripts/build.sh: build the npm package into pkg/ (layout: docs/ARCHITECTURE.md "Built package layout").
#
# Usage:  bash scripts/build.sh [--dev] [--stable]
#   (default)  release: cargo --release on the pinned nightly with the size levers (below), wasm-bindgen
#              (web + bundler), wasm-opt -Oz --converge (binaryen 132)
#   --stable   release on stable without the nightly levers (what the build falls back to, loudly, when
#              scripts/setup.sh could not install the nightly)
#   --dev      debug build on stable, no wasm-opt (quick iterations; same layout)
# Env: NEXUDUS_NIGHTLY [$NEXUDUS_NIGHTLY_PIN of scripts/lib.sh]  WASM_OPT_CONVERGE [--converge; empty = without]
# Steps: cargo build -p nexudus-auth --target wasm32-unknown-unknown   (release, the pinned nightly:
#          -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size, RUSTFLAGS -Zunstable-options
#          -Cpanic=immediate-abort -Zlocation-detail=none; into target/nightly/)
#        wasm-bindgen --target web --out-dir pkg ; wasm-bindgen --target bundler --out-dir pkg/bundler
#        $WASM_OPT -Oz --low-memory-unused --converge --strip-debug --strip-producers on both _bg.wasm   (never -all: docs/PLATFORM.md#wasm-opt-all)
#        web target: import/export names shortened (scripts/minify-wasm-names.mjs: binaryen's
#          --minify-imports-and-exports-and-modules, the glue rewritten to match and checked)
#        pkg-template/ -> pkg/ (__VERSION__ = crate version, __AUTH_ERROR_MODULE__ = the one AuthError module;
#          the JS shell pkg-template/shell/*.js inlined into index.js and bundler/index.js by rollup:
#          scripts/rollup.shell.mjs, with scripts/package.json's pinned rollup; index.js also inlines its glue,
#          so the web glue, its snippet and wasm_load.js are not shipped)
#        pkg/embedded/nexudus_auth_bg.wasm.js = the optimized web wasm as a JS string (entry nexudus-auth/embedded;
#          scripts/embed-wasm.mjs: one char per byte, bytes renamed by frequency)
#        load the optimized wasm once in node (catches a broken wasm-opt: docs/PLATFORM.md#binaryen-version), print sizes.
# The package is assembled in target/pkg-staging and then moved to pkg/ (a failed build leaves no half pkg/).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILE=release
STABLE=0
for a in "$@"; do
  case "$a" in
    --dev) PROFILE=dev ;;
    --stable) STABLE=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument: $a (usage: build.sh [--dev] [--stable])" ;;
  esac
done

if ! load_env || ! command -v wasm-bindgen >/dev/null; then
  warn "toolchain not set up yet: running scripts/setup.sh --no-browsers"
  bash "$ROOT/scripts/setup.sh" --no-browsers
  load_env || die "setup.sh wrote no env file"
fi
cd "$ROOT"

CRATE=nexudus_auth
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps 2>/dev/null | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => { try { console.log(JSON.parse(s).target_directory) } catch {} })' || true)
TARGET_DIR=${TARGET_DIR:-$ROOT/target}
STAGE=$TARGET_DIR/pkg-staging
OUT=$ROOT/pkg

# ---------------------------------------------------------------- cargo
# nightly_usable: the pinned nightly of scripts/setup.sh is installed with its rust-src (for -Zbuild-std)
NIGHTLY=${NEXUDUS_NIGHTLY:-$NEXUDUS_NIGHTLY_PIN}
nightly_usable() {
  local sysroot
  command -v rustup >/dev/null || return 1
  sysroot=$(rustup run "$NIGHTLY" rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/src/rust/library/std" ]
}
TOOLCHAIN=stable
if [ "$PROFILE" = release ] && [ "$STABLE" = 0 ]; then
  if nightly_usable; then
    TOOLCHAIN=$NIGHTLY
  else
    warn "=================================================================================="
    warn "RELEASE BUILD FALLS BACK TO STABLE: the pinned nightly '$NIGHTLY' with rust-src"
    warn "is not installed (run scripts/setup.sh). The package works the same but is bigger: no"
    warn "-Zbuild-std/optimize_for_size, no panic=immediate-abort, no -Zlocation-detail=none."
    warn "=================================================================================="
  fi
fi
if [ "$PROFILE" = release ] && [ "$TOOLCHAIN" != stable ]; then
  step "cargo +$TOOLCHAIN build -p nexudus-auth --release --target wasm32-unknown-unknown -Zbuild-std (size levers)"
  # the nightly's own target dir: its std and flags differ from the stable builds of test.sh
  env -u CARGO_UNSTABLE_BUILD_STD -u RUSTC -u RUSTDOC -u RUSTC_BOOTSTRAP -u CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    cargo "+$TOOLCHAIN" build -p nexudus-auth --release --target wasm32-unknown-unknown \
      -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size --target-dir "$TARGET_DIR/nightly"
  RAW=$TARGET_DIR/nightly/wasm32-unknown-unknown/release/$CRATE.wasm
elif [ "$PROFILE" = release ]; then
  step "cargo build -p nexudus-auth --release --target wasm32-unknown-unknown (stable)"
  cargo build -p nexudus-auth --release --target wasm32-unknown-unknown
  RAW=$TARGET_DIR/wasm32-unknown-unknown/release/$CRATE.wasm
else
  step "cargo build -p nexudus-auth --target wasm32-unknown-unknown (dev)"
  cargo build -p nexudus-auth --target wasm32-unknown-unknown
  RAW=$TARGET_DIR/wasm32-unknown-unknown/debug/$CRATE.wasm
fi
[ -f "$RAW" ] || die "cargo produced no $RAW"

# ---------------------------------------------------------------- wasm-bindgen
LOCKED_WB=$(lock_version wasm-bindgen "$ROOT/Cargo.lock")
HAVE_WB=$(wasm-bindgen --version | awk '{print $2}')
if [ -n "$LOCKED_WB" ] && [ "$LOCKED_WB" != "$HAVE_WB" ]; then
  die "wasm-bindgen CLI is $HAVE_WB but Cargo.lock holds $LOCKED_WB: run scripts/setup.sh"
fi
step "wasm-bindgen $HAVE_WB --target web / --target bundler"
rm -rf "$STAGE"; mkdir -p "$STAGE"
wasm-bindgen --target web --out-dir "$STAGE" "$RAW"
wasm-bindgen --target bundler --out-dir "$STAGE/bundler" "$RAW"
rm -f "$STAGE/package.json" "$STAGE/.gitignore" "$STAGE/bundler/package.json" "$STAGE/bundler/.gitignore"

# ---------------------------------------------------------------- one AuthError class for every entry
# Each wasm-bindgen output (web, bundler/, embedded/ …) carries its own copy of src/js/auth_error.js, which
# would make one AuthError class per entry (`instanceof` false across `nexudus-auth` and `nexudus-auth/bundler`).
# pkg/auth_error.js holds the one class; every snippet copy becomes a re-export of it.
step "one AuthError class: pkg/auth_error.js, snippets re-export it"
cp "$ROOT/src/js/auth_error.js" "$STAGE/auth_error.js"
n_ae=0
while IFS= read -r snip; do
  rel=$(realpath --relative-to="$(dirname "$snip")" "$STAGE/auth_error.js")
  printf "// nexudus-auth: the one AuthError class is pkg/auth_error.js (scripts/build.sh)\nexport { AuthError } from '%s';\n" "$rel" >"$snip"
  n_ae=$((n_ae + 1))
done < <(find "$STAGE" -path '*/snippets/*/src/js/auth_error.js' | sort)
[ "$n_ae" -ge 1 ] || die "no snippets/*/src/js/auth_error.js in the wasm-bindgen output"
info "$n_ae snippet copies now re-export ./auth_error.js"
cp "$ROOT/pkg-template/wasm_load.js" "$STAGE/wasm_load.js"   # index.js: a failed wasm load -> an AuthError naming the fix
cp -r "$ROOT/pkg-template/react" "$STAGE/react"               # nexudus-auth/react (plain JS + .d.ts, React is a peer)

# ---------------------------------------------------------------- wasm-opt
if [ "$PROFILE" = release ]; then
  [ -n "${WASM_OPT:-}" ] && [ -x "$WASM_OPT" ] || die "WASM_OPT not set or not executable: run scripts/setup.sh"
  WO_VER=$("$WASM_OPT" --version)
  grep -q 'version 1[3-9][0-9]' <<<"$WO_VER" || die "$WASM_OPT is not binaryen >= 130 (Debian's 108 corrupts the output: docs/PLATFORM.md#binaryen-version)"
  step "wasm-opt -Oz --low-memory-unused --converge --strip-debug --strip-producers ($WO_VER)"
  # both files in parallel: binaryen.js spends most of its ~7 s per run starting up.
  # --low-memory-unused: the first 1 KB of linear memory is the far end of the 1 MB stack (rustc puts the
  # stack first: __stack_pointer starts at 1 MiB, data above it), so binaryen may fold `x + C` (C < 1024)
  # into a load/store offset; it only differs for an address that wraps below 0 (-224 B brotli,
  # bench/RESULTS.md "Item 2").
  pids=()
  for w in "$STAGE/${CRATE}_bg.wasm" "$STAGE/bundler/${CRATE}_bg.wasm"; do
    "$WASM_OPT" -Oz --low-memory-unused ${WASM_OPT_CONVERGE---converge} --strip-debug --strip-producers "$w" -o "$w.opt" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "wasm-opt failed"; done
  for w in "$STAGE/${CRATE}_bg.wasm" "$STAGE/bundler/${CRATE}_bg.wasm"; do
    info "${w#"$STAGE"/}: $(stat -c%s "$w") -> $(stat -c%s "$w.opt") bytes"
    mv "$w.opt" "$w"
  done
  # web target only (its glue hands the imports over as one object; the bundler target imports them by
  # file name): the wasm<->glue names shortened, the glue rewritten to match and checked
  step "short import/export names for the web target (scripts/minify-wasm-names.mjs)"
  node "$ROOT/scripts/minify-wasm-names.mjs" "$STAGE" "$CRATE" || die "minify-wasm-names failed"
fi

# ---------------------------------------------------------------- templates
step "pkg-template/ -> pkg/"
VERSION=$(crate_version)
[ -n "$VERSION" ] || die "cannot read the crate version"
TPL=$ROOT/pkg-template
# subst_auth_error <index.js> <out dir>: point the wrapper at wasm-bindgen's copy of src/js/auth_error.js
subst_auth_error() {
  local file=$1 dir=$2 found n
  grep -q '__AUTH_ERROR_MODULE__' "$file" || return 0
  mapfile -t found < <(cd "$dir" && find snippets -path '*/src/js/auth_error.js' 2>/dev/null | sort)
  n=${#found[@]}
  [ "$n" -ge 1 ] || die "no snippets/*/src/js/auth_error.js in ${dir#"$STAGE"}: does the Rust code import it with #[wasm_bindgen(module = \"/src/js/auth_error.js\")]?"
  [ "$n" -eq 1 ] || die "several auth_error.js snippets in ${dir#"$STAGE"}: ${found[*]}"
  sed -i "s#__AUTH_ERROR_MODULE__#./${found[0]}#g" "$file"
  info "${file#"$STAGE"/}: __AUTH_ERROR_MODULE__ -> ./${found[0]}"
}
if [ -d "$TPL" ]; then
  for f in package.json index.js index.d.ts README.md LICENSE; do
    if [ -f "$TPL/$f" ]; then cp "$TPL/$f" "$STAGE/$f"
    else warn "pkg-template/$f missing: skipped"; fi
  done
  if [ ! -f "$STAGE/LICENSE" ] && [ -f "$ROOT/LICENSE" ]; then cp "$ROOT/LICENSE" "$STAGE/LICENSE"; fi
  if [ -d "$TPL/bundler" ]; then cp -r "$TPL/bundler/." "$STAGE/bundler/"
  else warn "pkg-template/bundler/ missing: pkg/bundler has no wrapper index.js"; fi
  if [ -d "$TPL/embedded" ]; then
    # nexudus-auth/embedded: the web entry + glue with the (optimized) wasm inlined as a string of
    # one char per byte, bytes renamed by frequency so a bundler's ASCII output escapes few of them
    mkdir -p "$STAGE/embedded"; cp -r "$TPL/embedded/." "$STAGE/embedded/"
    node "$ROOT/scripts/embed-wasm.mjs" "$STAGE/${CRATE}_bg.wasm" "$STAGE/embedded/${CRATE}_bg.wasm.js" \
      || die "embed-wasm failed"
  fi
  # The JS shell (pkg-template/shell/*.js, ES modules: the classes and every I/O around the wasm Machine)
  # inlined into the web and bundler entries by rollup (scripts/rollup.shell.mjs): each entry is bundled
  # with a copy of the modules next to it, so the shell's './nexudus_auth.js' is THAT entry's glue
  # (pkg/nexudus_auth.js, pkg/bundler/nexudus_auth.js). One file per entry keeps the package's file list and
  # an unbundled page's request count; rollup keeps the shell's comments and JSDoc.
  # The web entry also inlines its glue (with the AuthError snippet) and wasm_load.js, so a page without a
  # bundler loads index.js and auth_error.js only; those files then leave the package (below).
  js_tools
  for entry in "$STAGE/index.js" "$STAGE/bundler/index.js"; do
    [ -f "$entry" ] && grep -q "from './shell/" "$entry" || continue
    dir=$(dirname "$entry")
    cp -r "$TPL/shell" "$dir/shell"
    inline=0; [ "$dir" = "$STAGE" ] && inline=1
    ENTRY="$entry" OUT="$dir/.index.bundled.js" INLINE_GLUE=$inline "$ROOT/scripts/node_modules/.bin/rollup" --silent \
      -c "$ROOT/scripts/rollup.shell.mjs" || die "rollup of ${entry#"$STAGE"/} failed"
    mv "$dir/.index.bundled.js" "$entry"
    rm -r "$dir/shell"
    node --check "$entry" || die "${entry#"$STAGE"/} does not parse after rollup"
  done
  if ! grep -qE "^import .* from '\./(nexudus_auth|wasm_load)\.js'|from '\./snippets/" "$STAGE/index.js"; then
    # inlined into index.js: the web glue, its types (scripts/check-js.sh reads bundler/'s, the same Machine),
    # its AuthError snippet and wasm_load.js
    rm -rf "$STAGE/${CRATE}.js" "$STAGE/${CRATE}.d.ts" "$STAGE/wasm_load.js" "$STAGE/snippets"
    info "index.js: glue, snippet and wasm_load.js inlined (imports only ./auth_error.js)"
  else
    die "pkg/index.js still imports its glue, a snippet or wasm_load.js: see scripts/rollup.shell.mjs"
  fi
  [ -f "$STAGE/package.json" ] && sed -i "s/__VERSION__/$VERSION/g" "$STAGE/package.json"
  [ -f "$STAGE/index.js" ] && subst_auth_error "$STAGE/index.js" "$STAGE"
  [ -f "$STAGE/bundler/index.js" ] && subst_auth_error "$STAGE/bundler/index.js" "$STAGE/bundler"
  if left=$(grep -rlE '__VERSION__|__AUTH_ERROR_MODULE__' "$STAGE" --include='*.js' --include='*.json' --include='*.ts' 2>/dev/null); then
    die "placeholders left in: $left"
  fi
else
  warn "pkg-template/ missing: pkg/ holds only wasm-bindgen's output"
fi

# ---------------------------------------------------------------- load check (release artefact, docs/PLATFORM.md#binaryen-version)
step "load the built wasm in node (compile + instantiate + start, through the web entry)"
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { pathToFileURL } from "node:url";
  const dir = process.argv[1], crate = process.argv[2];
  const bytes = readFileSync(`${dir}/${crate}_bg.wasm`);
  const entry = await import(pathToFileURL(`${dir}/index.js`).href);
  // a CompileError/LinkError or a table error (as the AuthError init() throws) = a broken wasm-opt/bindgen
  // output (docs/PLATFORM.md#binaryen-version, #wasm-opt-all)
  await entry.default(bytes).catch((e) => { console.error(`   BROKEN: ${e && e.message}`); process.exit(1); });
  if (typeof entry.endpoints.system.auth.refreshToken() != "string") throw new Error("endpoints after init()");
  console.log("   ok: instantiated", bytes.length, "bytes");' "$STAGE" "$CRATE" || die "the optimized wasm does not load: see above (docs/PLATFORM.md#binaryen-version)"
if [ -f "$STAGE/embedded/index.js" ]; then
  # the embedded entry: init() decodes and compiles the inlined wasm (works in node too)
  node --input-type=module -e '
    import { pathToFileURL } from "node:url";
    const m = await import(pathToFileURL(process.argv[1]).href);
    await m.default();
    if (typeof m.endpoints.system.auth.refreshToken() != "string") throw new Error("endpoints after init()");
    console.log("   ok: embedded entry init() + endpoints");' "$STAGE/embedded/index.js" \
    || die "pkg/embedded/index.js does not load its inlined wasm"
fi

# ---------------------------------------------------------------- swap into place
rm -rf "$OUT"
mv "$STAGE" "$OUT"

# ---------------------------------------------------------------- sizes
step "sizes (pkg/, $PROFILE)"
node -e '
  const fs = require("fs"), z = require("zlib"), path = require("path");
  const dir = process.argv[1];
  const br = b => z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11,
    [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
  const gz = b => z.gzipSync(b, { level: 9 }).length;
  // what a page loads with the web entry (index.js holds the glue and the shell)
  const rows = ["nexudus_auth_bg.wasm", "index.js", "auth_error.js"].filter(f => fs.existsSync(path.join(dir, f)));
  const tot = { raw: 0, gz: 0, br: 0 };
  const line = (n, r, g, b) => console.log(`   ${n.padEnd(24)} ${String(r).padStart(9)} ${String(g).padStart(9)} ${String(b).padStart(9)}`);
  line("file", "raw", "gzip -9", "brotli 11");
  for (const f of rows) {
    const b = fs.readFileSync(path.join(dir, f)); const s = { raw: b.length, gz: gz(b), br: br(b) };
    line(f, s.raw, s.gz, s.br);
    tot.raw += s.raw; tot.gz += s.gz; tot.br += s.br;
  }
  line("web entry, unbundled", tot.raw, tot.gz, tot.br);' "$OUT"
echo
echo "== build.sh done ($PROFILE, $TOOLCHAIN, version $VERSION) in $(( $(_nx_now) - _NX_T0 ))s -> $OUT"
