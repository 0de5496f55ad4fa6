#!/usr/bin/env node
// Where import→ready goes: the phases of loading a built package's entry in headless Chromium, and
// (with --trace) what V8 compiles on the way. Measures one or more packages side by side, so a change
// can be judged against the package before it (bench/RESULTS.md, "The first call").
//
//   node bench/phases.mjs [--runs N] [--entry embedded|web] [--trace] [pkgDir[=label] ...]   (default: pkg)
//
// Each package's entry is bundled by esbuild (minified, like bench/run.sh's rows) with a page that
// imports it, awaits `NexudusAuth.create({storage: 'memory'})`, then calls `getAccessToken()` twice.
// The page wraps `WebAssembly.compile` / `instantiate` / `compileStreaming` / `instantiateStreaming`
// to time the phases without touching the package. Loads are fresh browser contexts, interleaved over
// the packages, files served brotli-compressed from loopback; medians in ms from `import()`:
//   fetched      the bundle's responseEnd (Resource Timing)
//   compile()    the package calls WebAssembly.compile* (embedded: the inlined wasm is decoded by then)
//   compiled     that compile resolved       instantiated   the instance is ready
//   created      create() resolved           verb 1 / 2     the first / second getAccessToken() settled
//   created − fetched   the median over loads of each load's difference: the package's own work, without the
//                       network's and the browser's start-up noise (the columns before it vary by ±2 ms)
// --trace: three more loads per package in Chromium run directly with V8's --trace-wasm-compilation-times:
// the wasm functions compiled during the load (lazily, on first call), their total time and the largest.
// Needs bench/node_modules (bash bench/run.sh installs it) and Chromium ($CHROMIUM or /usr/bin/chromium).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { BENCH, CHROMIUM_FLAGS, ROOT, br, die, median } from './lib/common.mjs';
import { launch } from './lib/load.mjs';
import { startServer } from './lib/server.mjs';

const args = process.argv.slice(2);
let runs = 30;
let entry = 'embedded';
let trace = false;
const pkgs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--entry') entry = args[++i];
  else if (args[i] === '--trace') trace = true;
  else if (args[i] === '-h' || args[i] === '--help') { console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 20).join('\n')); process.exit(0); }
  else pkgs.push(args[i]);
}
if (!['embedded', 'web'].includes(entry)) die(`--entry is embedded or web, not ${entry}`);
if (!pkgs.length) pkgs.push(path.join(ROOT, 'pkg'));
const require = createRequire(path.join(BENCH, 'package.json'));
let esbuild;
try { esbuild = require('esbuild'); } catch { die('no bench/node_modules: run bash bench/run.sh once (it runs npm ci)'); }
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ---------------------------------------------------------------- bundles
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'phases-'));
const candidates = pkgs.map((spec, i) => {
  const [dir, label = path.relative(ROOT, path.resolve(spec)) || spec] = spec.split('=');
  const main = path.resolve(dir, entry === 'embedded' ? 'embedded/index.js' : 'index.js');
  if (!fs.existsSync(main)) die(`no ${main}: build the package first (bash scripts/build.sh)`);
  const src = path.join(work, `entry${i}.js`);
  fs.writeFileSync(src, `import { NexudusAuth } from ${JSON.stringify(main)};
const mark = window.__mark;
window.__run = (async () => {
  const auth = await NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });
  mark('created');
  for (const n of [1, 2]) { try { await auth.getAccessToken(); } catch {} mark('verb ' + n); }
})();
`);
  esbuild.buildSync({ entryPoints: [src], bundle: true, minify: true, format: 'esm', platform: 'browser', outfile: path.join(work, `b${i}.js`), logLevel: 'error' });
  for (const f of fs.readdirSync(path.dirname(main))) { // the web entry fetches its .wasm next to the bundle
    if (f.endsWith('.wasm')) fs.copyFileSync(path.join(path.dirname(main), f), path.join(work, f));
  }
  return { label, file: `/pkg/b${i}.js`, bytes: br(fs.readFileSync(path.join(work, `b${i}.js`))).length };
});

// ---------------------------------------------------------------- page + server (bench/lib/server.mjs, serving `work` as /pkg/)
const PHASES = ['fetched', 'compile()', 'compiled', 'instantiated', 'created', 'verb 1', 'verb 2'];
const page = (src) => `<!doctype html><meta charset="utf-8"><script type="module">
const t0 = performance.now(), marks = {};
window.__mark = (k) => { marks[k] ??= performance.now() - t0; };
for (const [name, start, end] of [['compile', 'compile()', 'compiled'], ['compileStreaming', 'compile()', 'compiled'],
    ['instantiate', null, 'instantiated'], ['instantiateStreaming', 'compile()', 'instantiated']]) {
  const real = WebAssembly[name];
  WebAssembly[name] = function (...a) {
    if (start) __mark(start);
    const p = real.apply(this, a);
    p.then(() => __mark(end), () => {});
    return p;
  };
}
try {
  await import(${JSON.stringify(src)});
  await window.__run;
  const r = performance.getEntriesByType('resource').find((e) => e.name.endsWith(${JSON.stringify(src)}));
  marks.fetched = r.responseEnd - t0;
  window.__result = marks;
} catch (e) { window.__result = { error: String(e && (e.stack || e.message) || e) }; }
document.title = 'done';
console.debug('__phases_done__');
</script>`;
const { server, origin } = await startServer(work, (q) => page(q.get('src')));

// ---------------------------------------------------------------- loads
const browser = await launch(CHROMIUM);
const samples = candidates.map(() => []);
for (let r = 0; r <= runs; r++) { // round 0: warm-up, discarded
  for (let k = 0; k < candidates.length; k++) {
    const i = (k + r) % candidates.length;
    const ctx = await browser.newContext({ serviceWorkers: 'block' });
    const p = await ctx.newPage();
    const done = p.waitForEvent('console', { predicate: (m) => m.text() === '__phases_done__', timeout: 30000 });
    await p.goto(`${origin}/page?src=${candidates[i].file}`, { waitUntil: 'commit' });
    await done;
    const result = await p.evaluate(() => window.__result);
    await ctx.close();
    if (result.error) die(`${candidates[i].label}: ${result.error}`);
    if (r > 0) samples[i].push(result);
  }
  process.stderr.write(`\r[phases] round ${r}/${runs}   `);
}
process.stderr.write('\n');
await browser.close();

console.log(`\nPhases of import→ready, \`${entry === 'embedded' ? 'nexudus-auth' : 'nexudus-auth/web'}\` esbuild bundle, loopback, ${runs} loads each (median ms from import()):\n`);
console.log(`| package | bundle brotli | ${PHASES.join(' | ')} | created − fetched |`);
console.log(`|---|---:|${PHASES.map(() => '---:').join('|')}|---:|`);
for (const [i, c] of candidates.entries()) {
  const cells = PHASES.map((ph) => { const m = median(samples[i].map((s) => s[ph]).filter(Number.isFinite)); return m == null ? '–' : m.toFixed(1); });
  // per load, so the network's and the browser's start-up noise drops out: the package's own work
  const own = median(samples[i].map((s) => s.created - s.fetched).filter(Number.isFinite));
  console.log(`| ${c.label} | ${c.bytes} B | ${cells.join(' | ')} | ${own == null ? '–' : own.toFixed(1)} |`);
}

// ---------------------------------------------------------------- V8's wasm compile trace
if (trace) {
  console.log('\nV8 --trace-wasm-compilation-times, the median of three loads each (Chromium run directly), the main module only:\n');
  console.log('| package | functions compiled | total | largest functions (body bytes: µs) |');
  console.log('|---|---:|---:|---|');
  for (const c of candidates) {
    const loads = [];
    for (let n = 0; n < 3; n++) { // one load is noisy: three, and the one with the median total is shown
      // asynchronously: this process serves the page
      const out = await promisify(execFile)(CHROMIUM, [...CHROMIUM_FLAGS, '--headless', '--js-flags=--trace-wasm-compilation-times',
        '--virtual-time-budget=5000', '--dump-dom', `${origin}/page?src=${c.file}`], { encoding: 'utf8', timeout: 60000, maxBuffer: 64 << 20 });
      const byModule = new Map();
      for (const m of (out.stdout + out.stderr).matchAll(/Compiled function (\S+)#\d+ using \w+, took (\d+) (μs|ms).*?bodysize (\d+)/g)) {
        const f = { us: Number(m[2]) * (m[3] === 'ms' ? 1000 : 1), body: Number(m[4]) };
        byModule.set(m[1], [...(byModule.get(m[1]) || []), f]);
      }
      const main = [...byModule.values()].sort((a, b) => b.length - a.length)[0] || [];
      loads.push({ main, total: main.reduce((s, f) => s + f.us, 0) });
    }
    const { main, total } = loads.sort((a, b) => a.total - b.total)[1];
    const top = [...main].sort((a, b) => b.us - a.us).slice(0, 4).map((f) => `${f.body} B: ${f.us}`).join(', ');
    console.log(`| ${c.label} | ${main.length} | ${(total / 1000).toFixed(1)} ms | ${top} |`);
  }
}
server.close();
fs.rmSync(work, { recursive: true, force: true });
