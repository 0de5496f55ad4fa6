#!/usr/bin/env node
// Where do the .wasm bytes go? A dependency-free wasm section / code-size reader.
//
//   node bench/wasm-size.mjs [--top N] [file.wasm]
//
// Without a file it analyses the NON-optimised wasm-bindgen output of the release build: it runs
// `wasm-bindgen --target web` on target/{nightly/,}wasm32-unknown-unknown/release/nexudus_auth.wasm (the newer) into a temporary
// directory (that output still has the `name` section, which wasm-opt drops), then attributes every
// function body to a crate / module / concern by its (demangled) name. Also lists the sections of the
// shipped pkg/nexudus_auth_bg.wasm. If `twiggy` is on PATH its `top` and `garbage` views are added.
// Used by bench/run.mjs (via bench/lib/sizes.mjs; section "Where the wasm bytes go"); prints Markdown when run alone.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];

/** Parse the parts of a wasm module that matter for size. */
export function parseWasm(buf) {
  let p = 0;
  const u8 = () => buf[p++];
  const leb = () => { let r = 0, s = 0, b; do { b = buf[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  const str = () => { const n = leb(); const s = buf.toString('utf8', p, p + n); p += n; return s; };
  const skipExpr = () => { // constant expressions of data segments: i32/i64.const, global.get, end
    for (;;) {
      const op = u8();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23) leb(); else throw new Error(`unexpected opcode 0x${op.toString(16)} in a data offset`);
    }
  };
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  p = 8;
  const out = { sections: [], importedFuncs: 0, imports: [], bodies: [], names: new Map(), exports: new Map(), data: [], total: buf.length };
  while (p < buf.length) {
    const start = p;
    const id = u8();
    const size = leb();
    const body = p;
    const end = p + size;
    let name = SECTION_NAMES[id] || `#${id}`;
    if (id === 0) { name = `custom "${str()}"`; }
    out.sections.push({ id, name, size: end - start });
    if (id === 2) {
      const n = leb();
      for (let i = 0; i < n; i++) {
        const mod = str(), field = str(), kind = u8();
        if (kind === 0) { leb(); out.imports.push(`${mod}.${field}`); out.importedFuncs++; }
        else if (kind === 1) { u8(); const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
        else if (kind === 3) { u8(); u8(); }
        else if (kind === 4) { u8(); leb(); }
      }
    } else if (id === 7) {
      const n = leb();
      for (let i = 0; i < n; i++) { const nm = str(); const kind = u8(); const idx = leb(); if (kind === 0) out.exports.set(idx, nm); }
    } else if (id === 10) {
      const n = leb();
      for (let i = 0; i < n; i++) { const s0 = p; const sz = leb(); p += sz; out.bodies.push({ index: out.importedFuncs + i, size: p - s0 }); }
    } else if (id === 11) {
      const n = leb();
      for (let i = 0; i < n; i++) {
        const flag = leb();
        if (flag === 2) leb();
        if (flag !== 1) skipExpr();
        const len = leb();
        out.data.push({ size: len, bytes: buf.subarray(p, p + len) });
        p += len;
      }
    } else if (id === 0 && name === 'custom "name"') {
      while (p < end) {
        const sub = u8(); const sz = leb(); const subEnd = p + sz;
        if (sub === 1) { const n = leb(); for (let i = 0; i < n; i++) { const idx = leb(); out.names.set(idx, str()); } }
        p = subEnd;
      }
    }
    p = end;
  }
  return out;
}

/** Rust legacy (`_ZN…E`) demangling, enough for grouping; v0 names are returned as they are. */
export function demangle(s) {
  if (!s.startsWith('_ZN')) return s;
  let p = 3; const parts = [];
  while (p < s.length && s[p] !== 'E') {
    let n = 0; while (s[p] >= '0' && s[p] <= '9') n = n * 10 + Number(s[p++]);
    if (!n) break;
    parts.push(s.slice(p, p + n)); p += n;
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  const map = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };
  return parts.map((x) => x.replace(/^_\$/, '$')
    .replace(/\$([A-Z]{1,2})\$/g, (m, k) => map[k] ?? m)
    .replace(/\$u([0-9a-f]+)\$/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/\.\./g, '::')).join('::');
}

// v0-style names carry crate disambiguators (`core[c5930c85a12de822]::fmt`) and legacy ones a `::h<hash>`.
const stripHash = (s) => s.replace(/\[[0-9a-f]{8,16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');

/** The crate a function belongs to: the first path in its name (`<A as B>::f` → A's crate). */
export function crateOf(name) {
  if (name.startsWith('export shim: ')) return 'nexudus_auth (#[wasm_bindgen] export shims)';
  if (name.startsWith('async body of ')) return 'nexudus_auth (async bodies inlined into js_sys::future_to_promise)';
  const m = name.replace(/^[<&*\s]+|^(mut|const|dyn) /g, '').match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  if (m) return m[1];
  if (/^__wbg|^__wbindgen|^wasm_bindgen/.test(name)) return 'wasm_bindgen';
  if (/^(dlmalloc|malloc|free|realloc|calloc)\b/.test(name)) return 'dlmalloc';
  if (/^(memcpy|memmove|memset|memcmp|bcmp|__)/.test(name)) return 'compiler_builtins';
  return '(other)';
}

/** A coarse "what is this for" bucket, in priority order. */
export function concernOf(name) {
  const n = name;
  if (/^async body of /.test(n)) return 'async fn state machines inlined into future_to_promise (exports + spawned tasks)';
  if (/^export shim: /.test(n)) return 'exported entry points (#[wasm_bindgen] shims)';
  if (/^core::ptr::drop_in_place</.test(n)) return 'drop glue (drop_in_place<…>)';
  if (/panic|unwrap_failed|expect_failed|begin_panic|rust_begin_unwind|slice_(start|end)_index_len_fail|slice_index_fail|slice_error_fail|index_out_of_bounds|panic_bounds_check|unwrap_throw|expect_throw/.test(n)) return 'panics / bounds checks / unwrap_throw';
  if (/core::fmt|::fmt\b|escape_debug|flt2dec|bignum|dec2flt|fmt::Write|Formatter|format_inner|alloc::fmt|Display|Debug/.test(n)) return 'std::fmt (format!, Display, Debug)';
  const ours = n.replace(/^<+/, '').match(/^nexudus_auth::([a-z_]+)(::([a-z_]+))?/);
  if (ours) return `nexudus_auth::${ours[1]}${ours[3] && ours[1] !== 'facade' ? '::' + ours[3] : ''}`;
  if (/dlmalloc|alloc::alloc|__rust_(alloc|dealloc|realloc)|__rdl_|RawVec|raw_vec|finish_grow|reserve|do_reserve_and_handle|grow_one/.test(n)) return 'allocator / Vec growth';
  if (/^(memcpy|memmove|memset|memcmp|bcmp)$|compiler_builtins|^__[a-z]+[0-9]$/.test(n)) return 'compiler_builtins (mem*, i128)';
  if (/js_sys::futures|wasm_bindgen_futures|futures_|core::future|Future|::poll\b|Waker|RawWaker|task::/.test(n)) return 'async runtime (js_sys::futures, wakers, tasks)';
  if (/^__wbg|^__wbindgen|^__externref|wasm_bindgen|js_sys|web_sys|externref shim/.test(n)) return 'wasm-bindgen / js-sys / web-sys glue';
  if (/^(core|alloc|std)::str|<(core|alloc|std)::str|utf8|from_utf8|char::|unicode|StrSearcher|join_generic/.test(n)) return 'str / utf-8 / unicode / str search';
  if (/^<?(core|alloc|std)::|^<(&|\*)?(mut )?[a-z0-9_]+ as (core|alloc)::|^<T as (core|alloc)|^<\[/.test(n)) return 'other core / alloc / std';
  return 'other';
}

function brotli(b) {
  return zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Produce the name-carrying wasm-bindgen output of the release build. */
export function unoptimisedWasm() {
  let targetDir = path.join(ROOT, 'target');
  const meta = spawnSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  try { targetDir = JSON.parse(meta.stdout).target_directory || targetDir; } catch { /* keep the default */ }
  // scripts/build.sh builds the release on the pinned nightly into target/nightly/ (stable fallback:
  // target/): analyse the newer of the two, i.e. the one pkg/ was made from
  const raw = [path.join(targetDir, 'nightly'), targetDir]
    .map((d) => path.join(d, 'wasm32-unknown-unknown', 'release', 'nexudus_auth.wasm'))
    .filter((f) => fs.existsSync(f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!raw) return { error: 'no target/{nightly/,}wasm32-unknown-unknown/release/nexudus_auth.wasm (run scripts/build.sh)' };
  const wb = which('wasm-bindgen');
  if (!wb) return { rustcOutput: raw, error: 'wasm-bindgen not on PATH' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexudus-wasm-size-'));
  const r = spawnSync(wb, ['--target', 'web', '--out-dir', dir, raw], { encoding: 'utf8' });
  if (r.status !== 0) return { rustcOutput: raw, error: `wasm-bindgen failed: ${r.stderr.slice(0, 300)}` };
  return { rustcOutput: raw, file: path.join(dir, 'nexudus_auth_bg.wasm'), dir };
}

/** Analyse one name-carrying wasm file: per-function, per-crate and per-concern code sizes. */
/**
 * `js_sys::futures::future_to_promise::{{closure}}` instances hold the inlined state machine of one exported
 * `async fn`: name each after the `__wasm_bindgen_generated_<Export>` future it drops (from `wasm-objdump -d`).
 */
function asyncBodies(file) {
  const od = which('wasm-objdump');
  if (!od) return new Map();
  const r = spawnSync(od, ['-d', file], { encoding: 'utf8', maxBuffer: 512 << 20 });
  if (r.status !== 0) return new Map();
  const out = new Map();
  const callees = new Map();
  let cur = null;
  for (const line of r.stdout.split('\n')) {
    const f = line.match(/^[0-9a-f]+ func\[(\d+)\] <(.*)>:$/);
    if (f) { cur = /future_to_promise::\{\{closure\}\}/.test(f[2]) ? Number(f[1]) : null; continue; }
    if (cur == null || out.has(cur)) continue;
    let g = line.match(/call \d+ <.*__wasm_bindgen_generated_([A-Za-z0-9]+)_([A-Za-z0-9_]+)/);
    if (g) { out.set(cur, `${g[1]}.${g[2]}`); continue; }
    g = line.match(/call \d+ <.*nexudus_auth::facade::([A-Za-z]+)::([A-Za-z_]+)::\{\{closure\}\}/);
    if (g) { out.set(cur, `${g[1]}::${g[2]}`); continue; }
    g = line.match(/call \d+ <(?!core::ptr::drop_in_place)[<]?(nexudus_auth::[a-z_]+::[a-z_]+)/);
    if (g) { const m = callees.get(cur) || new Map(); m.set(g[1], (m.get(g[1]) || 0) + 1); callees.set(cur, m); }
  }
  for (const [idx, m] of callees) {
    if (out.has(idx)) continue;
    const best = [...m.entries()].sort((a, b) => b[1] - a[1])[0];
    out.set(idx, `a task spawned in ${best[0]}`);
  }
  return out;
}

/** Printable strings in the data segments: how many bytes are source paths (panic locations) and messages. */
function dataStrings(w) {
  const text = w.data.map((d) => d.bytes.toString('latin1')).join('\0');
  const runs = text.match(/[\x20-\x7e]{6,}/g) || [];
  const total = runs.reduce((s, x) => s + x.length, 0);
  const paths = runs.filter((x) => /\.rs\b/.test(x));
  return {
    printable: total,
    rustPaths: paths.reduce((s, x) => s + x.length, 0),
    longest: [...runs].sort((a, b) => b.length - a.length).slice(0, 8).map((x) => x.slice(0, 100)),
  };
}

export function analyze(file, top = 25) {
  const buf = fs.readFileSync(file);
  const w = parseWasm(buf);
  const bodies = asyncBodies(file);
  const fns = w.bodies.map((b) => {
    const rawName = w.names.get(b.index) ?? w.exports.get(b.index) ?? `func[${b.index}]`;
    let name = stripHash(demangle(rawName));
    if (bodies.has(b.index)) name = `async body of ${bodies.get(b.index)} (future_to_promise::{{closure}})`;
    return { name, size: b.size, exported: w.exports.has(b.index) && !/^__/.test(w.exports.get(b.index)) };
  }).sort((a, b) => b.size - a.size);
  const codeTotal = fns.reduce((s, f) => s + f.size, 0);
  const group = (key) => {
    const m = new Map();
    for (const f of fns) { const k = key(f.exported ? `export shim: ${f.name}` : f.name); const e = m.get(k) || { size: 0, count: 0 }; e.size += f.size; e.count++; m.set(k, e); }
    return [...m.entries()].map(([k, v]) => ({ key: k, ...v })).sort((a, b) => b.size - a.size);
  };
  const dataBytes = w.data.reduce((s, d) => s + d.size, 0);
  // monomorphisations: the same generic function body under several type parameters
  const monos = new Map();
  for (const f of fns) {
    const base = f.name.replace(/<[^<>]*(<[^<>]*(<[^<>]*>[^<>]*)*>[^<>]*)*>/g, '<…>');
    if (base === f.name) continue;
    const e = monos.get(base) || { size: 0, count: 0 }; e.size += f.size; e.count++; monos.set(base, e);
  }
  return {
    strings: dataStrings(w), asyncBodiesNamed: bodies.size,
    file, total: buf.length, sections: w.sections, functions: fns.length, importedFuncs: w.importedFuncs,
    codeTotal, dataBytes, dataSegments: w.data.length, named: w.names.size,
    top: fns.slice(0, top), byCrate: group(crateOf), byConcern: group(concernOf),
    monos: [...monos.entries()].map(([k, v]) => ({ key: k, ...v })).filter((x) => x.count > 1).sort((a, b) => b.size - a.size).slice(0, 12),
  };
}

/** Sections of a shipped (optimised) wasm, with each section's brotli size alone. */
export function sectionsOf(file) {
  const buf = fs.readFileSync(file);
  const w = parseWasm(buf);
  let p = 8;
  return w.sections.map((s) => { const slice = buf.subarray(p, p + s.size); p += s.size; return { ...s, brotli: brotli(slice) }; });
}

function twiggy(file, top) {
  const t = which('twiggy');
  if (!t) return null;
  const run = (args) => { const r = spawnSync(t, args, { encoding: 'utf8', maxBuffer: 64 << 20 }); return r.status === 0 ? r.stdout : null; };
  return {
    top: run(['top', '-n', String(top), file]),
    retained: run(['top', '--retained', '-n', String(top), file]),
    garbage: run(['garbage', '-n', '10', file]),
  };
}

/** Markdown report: shipped sections + where the code bytes go. */
export function report({ top = 25, file = null, pkgDir = path.join(ROOT, 'pkg') } = {}) {
  const md = [];
  const shipped = path.join(pkgDir, 'nexudus_auth_bg.wasm');
  const res = { shipped: null, analysis: null, twiggy: null, error: null };
  if (fs.existsSync(shipped)) {
    res.shipped = sectionsOf(shipped);
    const total = fs.statSync(shipped).size;
    md.push(`Shipped \`${path.relative(ROOT, shipped)}\` (wasm-opt output), ${total} B raw, ${brotli(fs.readFileSync(shipped))} B brotli:`, '');
    md.push('| section | bytes | % | brotli alone |', '|---|---:|---:|---:|');
    for (const s of [...res.shipped].sort((a, b) => b.size - a.size)) md.push(`| ${s.name} | ${s.size} | ${(100 * s.size / total).toFixed(1)}% | ${s.brotli} |`);
    md.push('');
  }
  let src = file ? { file } : unoptimisedWasm();
  if (src.error && !src.file) { res.error = src.error; md.push(`(no per-function analysis: ${src.error})`); return { md: md.join('\n'), ...res }; }
  const a = analyze(src.file, top);
  res.analysis = a;
  const pct = (n) => `${(100 * n / a.codeTotal).toFixed(1)}%`;
  md.push(`Non-optimised wasm-bindgen output of the release build (${a.total} B, ${a.functions} functions, ${a.named} named; code ${a.codeTotal} B, data ${a.dataBytes} B in ${a.dataSegments} segments). wasm-opt -Oz shrinks and inlines, so read these as shares, not final bytes.`, '');
  md.push('By concern (code section):', '', '| concern | bytes | share of code | functions |', '|---|---:|---:|---:|');
  for (const g of a.byConcern) md.push(`| ${g.key} | ${g.size} | ${pct(g.size)} | ${g.count} |`);
  md.push('', `Data: ${a.dataBytes} B, of which ${a.strings.printable} B printable strings (${a.strings.rustPaths} B in strings naming \`.rs\` files, i.e. panic locations). Longest strings: ${a.strings.longest.map((x) => '`' + x.replace(/[`|]/g, "'") + '`').join(', ')}.`);
  md.push('', 'By crate:', '', '| crate | bytes | share of code | functions |', '|---|---:|---:|---:|');
  for (const g of a.byCrate.slice(0, 15)) md.push(`| ${g.key} | ${g.size} | ${pct(g.size)} | ${g.count} |`);
  md.push('', `Largest functions (top ${top}):`, '', '| bytes | function |', '|---:|---|');
  for (const f of a.top) md.push(`| ${f.size} | \`${f.name.replace(/\|/g, '\\|').slice(0, 160)}\` |`);
  if (a.monos.length) {
    md.push('', 'Generic functions instantiated several times (monomorphisation):', '', '| bytes | copies | generic |', '|---:|---:|---|');
    for (const m of a.monos) md.push(`| ${m.size} | ${m.count} | \`${m.key.replace(/\|/g, '\\|').slice(0, 140)}\` |`);
  }
  const tw = twiggy(src.file, 15);
  if (tw) {
    res.twiggy = tw;
    if (tw.retained) md.push('', '`twiggy top --retained` (bytes a function keeps alive, itself included):', '', '```', tw.retained.trimEnd(), '```');
  }
  md.push('');
  if (src.dir) fs.rmSync(src.dir, { recursive: true, force: true });
  return { md: md.join('\n'), ...res };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let top = 25, file = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '-h' || args[i] === '--help') { console.log('node bench/wasm-size.mjs [--top N] [file.wasm]'); process.exit(0); }
    else file = path.resolve(args[i]);
  }
  console.log(report({ top, file }).md);
}
