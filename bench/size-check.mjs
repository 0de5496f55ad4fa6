#!/usr/bin/env node
// bench/size-check.mjs: guard the wire size of the built package (no dependencies).
//
//   node bench/size-check.mjs [--pkg DIR] [--update "reason"]
//
// Measures pkg/nexudus_auth_bg.wasm + pkg/index.js (the web entry, which holds the wasm-bindgen glue and
// the JavaScript shell: pkg-template/shell/) + pkg/auth_error.js, all a page downloads with the web build,
// raw, gzip -9 and brotli -q 11, and compares the brotli total with bench/size-baseline.json.
// Fails (exit 1) when the total grew by more than `maxGrowth` (default 10 %) over the baseline.
// `--update "why"` rewrites the baseline with the current figures and that reason.
// Env: PKG_DIR (default ./pkg), SIZE_MAX_GROWTH (e.g. 0.10).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const baselinePath = join(here, 'size-baseline.json');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const pkgDir = resolve(opt('--pkg') ?? process.env.PKG_DIR ?? join(here, '..', 'pkg'));
const update = args.includes('--update');
const reason = opt('--update');

const FILES = { wasm: 'nexudus_auth_bg.wasm', entry: 'index.js', authError: 'auth_error.js' };
const TOTAL = 'wasm + entry + AuthError';
const brotli = (b) => zlib.brotliCompressSync(b, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length },
}).length;
const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;

const current = {};
for (const [key, file] of Object.entries(FILES)) {
  const p = join(pkgDir, file);
  if (!existsSync(p)) {
    console.error(`size-check: ${p} not found; build the package first (bash scripts/build.sh)`);
    process.exit(2);
  }
  const b = readFileSync(p);
  current[key] = { file, raw: b.length, gzip: gzip(b), brotli: brotli(b) };
}
const sum = (k) => Object.keys(FILES).reduce((n, f) => n + current[f][k], 0);
current.total = { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };

const row = (n, s) => console.log(`  ${n.padEnd(22)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
console.log(`size-check: ${pkgDir}`);
console.log(`  ${'file'.padEnd(22)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`);
for (const [key, file] of Object.entries(FILES)) row(file, current[key]);
row(TOTAL, current.total);

if (update) {
  if (!reason || reason.startsWith('--')) {
    console.error('size-check: --update needs a reason, e.g. --update "first release build"');
    process.exit(2);
  }
  const old = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : {};
  const baseline = {
    reason,
    date: new Date().toISOString().slice(0, 10),
    maxGrowth: old.maxGrowth ?? 0.10,
    ...Object.fromEntries(Object.keys(FILES).map((k) => [k, current[k]])),
    total: current.total,
  };
  writeFileSync(baselinePath, JSON.stringify(baseline, null, 2) + '\n');
  console.log(`size-check: baseline written to ${baselinePath} (brotli total ${current.total.brotli} B)`);
  process.exit(0);
}

if (!existsSync(baselinePath)) {
  console.error(`size-check: no baseline at ${baselinePath}; create it with --update "reason"`);
  process.exit(1);
}
const base = JSON.parse(readFileSync(baselinePath, 'utf8'));
const maxGrowth = Number(process.env.SIZE_MAX_GROWTH ?? base.maxGrowth ?? 0.10);
const limit = Math.floor(base.total.brotli * (1 + maxGrowth));
const delta = current.total.brotli - base.total.brotli;
const pct = ((delta / base.total.brotli) * 100).toFixed(1);
console.log(`  baseline (${base.date}, "${base.reason}"): brotli ${base.total.brotli} B; ` +
  `now ${current.total.brotli} B (${delta >= 0 ? '+' : ''}${delta} B, ${delta >= 0 ? '+' : ''}${pct} %); limit ${limit} B (+${Math.round(maxGrowth * 100)} %)`);
if (current.total.brotli > limit) {
  console.log(`not ok - size: ${TOTAL} brotli ${current.total.brotli} B exceeds ${limit} B`);
  console.log('  If the growth is intended: node bench/size-check.mjs --update "why it grew"');
  process.exit(1);
}
console.log(`ok - size: ${TOTAL} brotli ${current.total.brotli} B within ${limit} B`);
