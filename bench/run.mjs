#!/usr/bin/env node
// nexudus-auth benchmark: size, load time and per-call overhead against peer auth SDKs.
// Usage: bash bench/run.sh [options]   (installs bench/node_modules, then runs this file)
//        node bench/run.mjs [options]  (when bench/node_modules is already installed)
// See bench/README.md for what is measured and how. Not part of the test suite: nothing here asserts.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
let PKG = path.join(ROOT, 'pkg');
const OUT = path.join(BENCH, 'results');
const BUNDLES = path.join(OUT, 'bundles');

// ---------------------------------------------------------------- options
const HELP = `node bench/run.mjs [options]
  --no-build          do not run scripts/build.sh (use the pkg/ that is there)
  --runs N            measured load runs per candidate (default 25, min 20 recommended)
  --warmup N          discarded warm-up rounds (default 1)
  --latency MS        also run a load pass with MS ms of emulated latency per request (default 40; 0 = skip)
  --latency-runs N    runs for that pass (default 12)
  --ops-ms MS         duration of one getAccessToken() ops/s trial (default 2000)
  --signin-runs N     sign-in round trips measured (default 60)
  --skip-load         sizes only (+ overhead)
  --skip-overhead     no mock / sign-in / getAccessToken measurements
  --pkg DIR           measure the package in DIR instead of pkg/ (implies --no-build)
  --chromium PATH     browser binary (default $CHROMIUM or /usr/bin/chromium)
  --help`;
const opts = {
  build: true, runs: 25, warmup: 1, latency: 40, latencyRuns: 12, opsMs: 2000, signinRuns: 60,
  load: true, overhead: true, chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};
{
  const a = process.argv.slice(2);
  const num = (i) => { const v = Number(a[i]); if (!Number.isFinite(v) || v < 0) die(`bad value for ${a[i - 1]}: ${a[i]}`); return v; };
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '--no-build': opts.build = false; break;
      case '--runs': opts.runs = num(++i); break;
      case '--warmup': opts.warmup = num(++i); break;
      case '--latency': opts.latency = num(++i); break;
      case '--latency-runs': opts.latencyRuns = num(++i); break;
      case '--ops-ms': opts.opsMs = num(++i); break;
      case '--signin-runs': opts.signinRuns = num(++i); break;
      case '--skip-load': opts.load = false; break;
      case '--skip-overhead': opts.overhead = false; break;
      case '--chromium': opts.chromium = a[++i]; break;
      case '--pkg': PKG = path.resolve(a[++i]); opts.build = false; opts.pkg = PKG; break;
      case '-h': case '--help': console.log(HELP); process.exit(0);
      default: die(`unknown option ${a[i]}\n${HELP}`);
    }
  }
}
function die(msg) { console.error(`bench: ${msg}`); process.exit(2); }
const log = (...m) => console.error('[bench]', ...m);

const MOCK_URL = (process.env.NEXUDUS_MOCK_URL || 'http://127.0.0.1:18787').replace(/\/+$/, '');
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

// ---------------------------------------------------------------- candidates
// `id` is the row name. `kind`: 'ours' rows need pkg/, 'peer' rows come from bench/node_modules.
const PEERS = [
  { id: 'oidc-client-ts', pkg: 'oidc-client-ts', entry: 'oidc-client-ts.js', factory: 'new UserManager(...)' },
  { id: '@supabase/auth-js', pkg: '@supabase/auth-js', entry: 'supabase-auth-js.js', factory: 'new AuthClient(...).initialize()' },
  { id: 'rebilly-js-sdk', pkg: 'rebilly-js-sdk', entry: 'rebilly-js-sdk.js', factory: 'RebillyAPI(...)' },
  { id: '@auth0/auth0-spa-js', pkg: '@auth0/auth0-spa-js', entry: 'auth0-spa-js.js', factory: 'new Auth0Client(...)' },
  { id: '@azure/msal-browser', pkg: '@azure/msal-browser', entry: 'msal-browser.js', factory: 'new PublicClientApplication(...).initialize()' },
];
const OURS = 'nexudus-auth';

// ---------------------------------------------------------------- helpers
const br = (b) => zlib.brotliCompressSync(b, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length },
});
const gz = (b) => zlib.gzipSync(b, { level: 9 });
const sizes = (b) => ({ raw: b.length, gzip: gz(b).length, brotli: br(b).length });
const addSizes = (xs) => xs.reduce((s, x) => ({ raw: s.raw + x.raw, gzip: s.gzip + x.gzip, brotli: s.brotli + x.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => (n / 1000).toFixed(1);
const ms = (n) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(1));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  // nearest-rank for p90, midpoint average for the median
  if (q === 0.5) { const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
const median = (xs) => quantile(xs, 0.5);
const p90 = (xs) => quantile(xs, 0.9);
function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : [p];
  });
}
function gitRev() {
  try { return execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return 'unknown'; }
}
function chromiumVersion() {
  try { return execFileSync(opts.chromium, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return 'unknown'; }
}
const sleep = (t) => new Promise((r) => setTimeout(r, t));

// ---------------------------------------------------------------- 1. build
const result = {
  date: new Date().toISOString(), git: gitRev(), node: process.version, chromium: chromiumVersion(),
  host: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  options: opts, mockUrl: MOCK_URL, versions: {}, sizes: {}, load: {}, loadLatency: null, overhead: null, notes: [],
};

if (opts.build) {
  const script = path.join(ROOT, 'scripts', 'build.sh');
  if (fs.existsSync(script)) {
    log('building the release package: bash scripts/build.sh');
    const r = spawnSync('bash', [script], { cwd: ROOT, stdio: ['ignore', 2, 2] }); // build log to stderr: stdout is the report
    if (r.status !== 0) {
      if (!fs.existsSync(path.join(PKG, 'index.js'))) die(`scripts/build.sh failed (exit ${r.status}) and there is no pkg/`);
      result.notes.push(`scripts/build.sh failed (exit ${r.status}); measured the existing pkg/`);
      log(`WARNING: build failed (exit ${r.status}); measuring the existing pkg/`);
    }
  } else {
    result.notes.push('scripts/build.sh not found: pkg/ not rebuilt');
  }
}
const HAVE_PKG = fs.existsSync(path.join(PKG, 'index.js')) && fs.existsSync(path.join(PKG, 'nexudus_auth_bg.wasm'));
if (!HAVE_PKG) {
  result.notes.push('pkg/ not built (no pkg/index.js + pkg/nexudus_auth_bg.wasm): nexudus-auth rows skipped');
  log('WARNING: no pkg/ — measuring the peers only');
}

// ---------------------------------------------------------------- 2. sizes + bundles
fs.rmSync(BUNDLES, { recursive: true, force: true });
fs.mkdirSync(BUNDLES, { recursive: true });
const esbuild = await import('esbuild');
result.versions.esbuild = esbuild.version;
for (const p of PEERS) {
  result.versions[p.pkg] = JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', p.pkg, 'package.json'), 'utf8')).version;
}
const resolveOurs = {
  name: 'nexudus-auth-local',
  setup(b) { b.onResolve({ filter: /^nexudus-auth$/ }, () => ({ path: path.join(PKG, 'index.js') })); },
};
async function bundle(entry, outName) {
  const r = await esbuild.build({
    entryPoints: [path.join(BENCH, 'entries', entry)], bundle: true, minify: true, format: 'esm',
    platform: 'browser', write: false, logLevel: 'warning', plugins: [resolveOurs],
  });
  const js = Buffer.from(r.outputFiles[0].contents);
  fs.writeFileSync(path.join(BUNDLES, outName), js);
  return js;
}

log('bundling with esbuild', esbuild.version, '(minified ESM, platform browser)');
const sizeRows = [];
{
  const js = await bundle('empty.js', 'empty.js');
  result.sizes.empty = { js: sizes(js) };
}
if (HAVE_PKG) {
  // a) the package files as published (what `import '/pkg/index.js'` fetches)
  const files = {
    'index.js (wrapper)': path.join(PKG, 'index.js'),
    'nexudus_auth.js (glue)': path.join(PKG, 'nexudus_auth.js'),
    ...Object.fromEntries(walk(path.join(PKG, 'snippets')).filter((f) => f.endsWith('.js'))
      .map((f) => [`${path.relative(PKG, f)} (snippet)`, f])),
    'nexudus_auth_bg.wasm': path.join(PKG, 'nexudus_auth_bg.wasm'),
  };
  const parts = {};
  for (const [k, f] of Object.entries(files)) if (fs.existsSync(f)) parts[k] = sizes(fs.readFileSync(f));
  const wasm = parts['nexudus_auth_bg.wasm'];
  const jsParts = Object.entries(parts).filter(([k]) => !k.endsWith('.wasm')).map(([, v]) => v);
  const pkgRow = { parts, js: addSizes(jsParts), wasm, total: addSizes([...jsParts, wasm]) };
  result.sizes[`${OURS} (pkg files)`] = pkgRow;
  // b) bundled the same way as the peers (entry + wrapper + glue + snippet minified into one file) + the .wasm
  const js = await bundle('nexudus-auth.js', 'nexudus-auth.js');
  fs.copyFileSync(path.join(PKG, 'nexudus_auth_bg.wasm'), path.join(BUNDLES, 'nexudus_auth_bg.wasm'));
  const jsS = sizes(js);
  result.sizes[`${OURS} (esbuild bundle)`] = { js: jsS, wasm, total: addSizes([jsS, wasm]) };
  sizeRows.push(`${OURS} (esbuild bundle)`, `${OURS} (pkg files)`);
}
for (const p of PEERS) {
  const js = await bundle(p.entry, p.entry);
  const s = sizes(js);
  result.sizes[p.id] = { js: s, total: s };
  sizeRows.push(p.id);
}

// where the wasm bytes go (name section of the non-optimised wasm-bindgen output; see wasm-size.mjs)
let wasmSizeMd = null;
if (HAVE_PKG) {
  try {
    const { report } = await import('./wasm-size.mjs');
    const r = report({ top: 25, pkgDir: PKG });
    wasmSizeMd = r.md;
    result.wasmSize = { shipped: r.shipped, byConcern: r.analysis?.byConcern, byCrate: r.analysis?.byCrate, top: r.analysis?.top, monos: r.analysis?.monos, codeTotal: r.analysis?.codeTotal, dataBytes: r.analysis?.dataBytes, error: r.error };
  } catch (e) {
    result.notes.push(`wasm size analysis failed: ${e.message}`);
  }
}

// ---------------------------------------------------------------- 3. static server
// Serves /pkg/ (the package as built), /b/ (bundles), /page (the measuring page). Responses are compressed
// like a production CDN would (brotli when the browser accepts it, else gzip), never cached.
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
const compressed = new Map(); // file -> {mtime, br, gz, raw}
function loadFile(f) {
  const st = fs.statSync(f);
  const c = compressed.get(f);
  if (c && c.mtime === st.mtimeMs) return c;
  const raw = fs.readFileSync(f);
  const e = { mtime: st.mtimeMs, raw, br: br(raw), gz: gz(raw) };
  compressed.set(f, e);
  return e;
}
const hits = new Map();
const encodingsSeen = new Set();
function pageHtml(q) {
  const preload = q.getAll('preload').map((h) => `<link rel="preload" href="${h}" as="fetch" crossorigin>`).join('');
  const modpre = q.getAll('modulepreload').map((h) => `<link rel="modulepreload" href="${h}">`).join('');
  const src = JSON.stringify(q.get('src') || '/b/empty.js');
  // mode=pkg: import the package entry and create the client inline (no extra entry module).
  const body = q.get('mode') === 'pkg'
    ? `const m = await import(${src}); await m.NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });`
    : `await import(${src}); await window.__ready;`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${preload}${modpre}</head><body>
<script type="module">
const t0 = performance.now();
try {
  ${body}
  const t1 = performance.now();
  window.__result = { importToReady: t1 - t0, navToReady: t1 };
} catch (e) { window.__result = { error: String((e && (e.stack || e.message)) || e) }; }
console.debug('__bench_done__');
</script></body></html>`;
}
const server = createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  hits.set(u.pathname, (hits.get(u.pathname) || 0) + 1);
  const common = { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' };
  if (u.pathname === '/page') { res.writeHead(200, { ...common, 'Content-Type': TYPES['.html'] }); res.end(pageHtml(u.searchParams)); return; }
  if (u.pathname === '/blank') { res.writeHead(200, { ...common, 'Content-Type': TYPES['.html'] }); res.end('<!doctype html><title>blank</title>'); return; }
  let base = null, rel = null;
  if (u.pathname.startsWith('/pkg/')) { base = PKG; rel = u.pathname.slice(5); }
  else if (u.pathname.startsWith('/b/')) { base = BUNDLES; rel = u.pathname.slice(3); }
  const f = base && path.resolve(base, decodeURIComponent(rel));
  if (!f || !f.startsWith(base + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) {
    res.writeHead(404, { ...common, 'Content-Type': 'text/plain' }); res.end('not found'); return;
  }
  const e = loadFile(f);
  const ae = String(req.headers['accept-encoding'] || '');
  encodingsSeen.add(ae);
  const h = { ...common, 'Content-Type': TYPES[path.extname(f)] || 'application/octet-stream', Vary: 'Accept-Encoding' };
  let bodyBuf = e.raw;
  if (/\bbr\b/.test(ae)) { h['Content-Encoding'] = 'br'; bodyBuf = e.br; }
  else if (/\bgzip\b/.test(ae)) { h['Content-Encoding'] = 'gzip'; bodyBuf = e.gz; }
  h['Content-Length'] = bodyBuf.length;
  res.writeHead(200, h); res.end(bodyBuf);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
log('static server on', ORIGIN);

// ---------------------------------------------------------------- 4. load time in Chromium
const loadCandidates = [{ id: 'empty module', q: { src: '/b/empty.js' } }];
if (HAVE_PKG) {
  loadCandidates.push(
    { id: `${OURS} (esbuild bundle)`, q: { src: '/b/nexudus-auth.js' }, wasm: '/b/nexudus_auth_bg.wasm' },
    { id: `${OURS} (esbuild bundle + preload wasm)`, q: { src: '/b/nexudus-auth.js', preload: '/b/nexudus_auth_bg.wasm' }, wasm: '/b/nexudus_auth_bg.wasm' },
    { id: `${OURS} (pkg files)`, q: { src: '/pkg/index.js', mode: 'pkg' }, wasm: '/pkg/nexudus_auth_bg.wasm' },
    { id: `${OURS} (pkg files + preload wasm + modulepreload glue)`, q: { src: '/pkg/index.js', mode: 'pkg', preload: '/pkg/nexudus_auth_bg.wasm', modulepreload: '/pkg/nexudus_auth.js' }, wasm: '/pkg/nexudus_auth_bg.wasm' },
  );
}
for (const p of PEERS) loadCandidates.push({ id: p.id, q: { src: `/b/${p.entry}` } });
const pageUrl = (c) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(c.q)) sp.append(k, v);
  return `${ORIGIN}/page?${sp}`;
};

let browser = null;
async function launch() {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(opts.chromium)) die(`no Chromium at ${opts.chromium} (run scripts/setup.sh, or pass --chromium)`);
  return chromium.launch({ executablePath: opts.chromium, headless: true, args: CHROMIUM_FLAGS });
}

async function oneLoad(c, latency, inspect) {
  const ctx = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await ctx.newPage();
    const seen = { console: [], requests: [], failed: [] };
    if (inspect) {
      page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) seen.console.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => seen.console.push(`pageerror: ${e.message}`));
      page.on('request', (r) => seen.requests.push(r.url().replace(ORIGIN, '')));
      page.on('requestfailed', (r) => seen.failed.push(`${r.url()} ${r.failure()?.errorText}`));
    }
    if (latency) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      // latency per request, bandwidth ~ "fast 4G" (9 Mbit/s down, 1.5 Mbit/s up)
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 });
    }
    const before = c.wasm ? hits.get(c.wasm) || 0 : 0;
    // The page says it is done on the console: waiting through CDP events injects nothing into the page
    // while it loads (waitForFunction would compile Playwright's injected script mid-measurement).
    const done = page.waitForEvent('console', { predicate: (m) => m.text() === '__bench_done__', timeout: 30000 });
    await page.goto(pageUrl(c), { waitUntil: 'commit', timeout: 30000 });
    let r;
    try {
      await done;
      r = await page.evaluate(() => window.__result);
    } catch (e) {
      // say what the page was doing: finished without the console event, or which requests never ended
      const state = await page.evaluate(() => ({
        result: window.__result ?? null,
        resources: performance.getEntriesByType('resource').map((x) => `${new URL(x.name).pathname} ${x.responseEnd ? Math.round(x.duration) + 'ms' : 'pending'}`),
      })).catch(() => null);
      if (state?.result) { r = state.result; r.note = 'console event lost'; }
      else throw new Error(`${String(e.message || e).split('\n')[0]}; page state: ${JSON.stringify(state)}`);
    }
    if (c.wasm) r.wasmFetches = (hits.get(c.wasm) || 0) - before;
    if (inspect) r.inspect = seen;
    return r;
  } finally {
    await ctx.close();
  }
}

async function loadPass(label, runs, warmup, latency) {
  const samples = Object.fromEntries(loadCandidates.map((c) => [c.id, { importToReady: [], navToReady: [], errors: [] }]));
  const inspected = {};
  const rounds = warmup + runs;
  for (let r = 0; r < rounds; r++) {
    // interleaved: every round visits every candidate, in an order rotated by one each round
    const n = loadCandidates.length;
    const order = loadCandidates.map((_, i) => loadCandidates[(i + r) % n]);
    for (const c of order) {
      let res;
      try { res = await oneLoad(c, latency, r === 0); } catch (e) { res = { error: String(e.message || e) }; }
      if (r === 0) inspected[c.id] = res;
      if (res.error) { samples[c.id].errors.push(res.error); if (r === 0) log(`  ${c.id}: ERROR ${res.error.split('\n')[0]}`); continue; }
      if (c.wasm && res.wasmFetches !== 1) samples[c.id].errors.push(`wasm fetched ${res.wasmFetches}× in one load`);
      if (r >= warmup) {
        samples[c.id].importToReady.push(res.importToReady);
        samples[c.id].navToReady.push(res.navToReady);
      }
    }
    process.stderr.write(`\r[bench] ${label}: round ${r + 1}/${rounds}${r < warmup ? ' (warm-up, discarded)' : ''}   `);
  }
  process.stderr.write('\n');
  const out = {};
  for (const c of loadCandidates) {
    const s = samples[c.id];
    const ins = inspected[c.id]?.inspect;
    out[c.id] = {
      n: s.importToReady.length,
      importToReady: { median: median(s.importToReady), p90: p90(s.importToReady) },
      navToReady: { median: median(s.navToReady), p90: p90(s.navToReady) },
      errors: [...new Set(s.errors)],
      firstRun: ins ? { requests: ins.requests, console: ins.console, failed: ins.failed } : undefined,
      samples: s,
    };
    const foreign = (ins?.requests || []).filter((u) => /^[a-z]+:\/\//.test(u) && !u.startsWith('data:'));
    if (foreign.length) out[c.id].errors.push(`requests outside the bench origin: ${foreign.join(', ')}`);
  }
  return out;
}

if (opts.load) {
  browser = await launch();
  log(`load time: ${loadCandidates.length} candidates × (${opts.warmup} warm-up + ${opts.runs}) runs, fresh context each, interleaved`);
  result.load = await loadPass('loopback', opts.runs, opts.warmup, 0);
  if (opts.latency > 0) {
    log(`load time with ${opts.latency} ms emulated latency per request: ${opts.latencyRuns} runs`);
    result.loadLatency = { latencyMs: opts.latency, rows: await loadPass(`latency ${opts.latency} ms`, opts.latencyRuns, 1, opts.latency) };
  }
  result.acceptEncoding = [...encodingsSeen];
}

// ---------------------------------------------------------------- 5. overhead against the mock
let mockProc = null;
async function mockUp() {
  try {
    const r = await fetch(`${MOCK_URL}/mock/users`, { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch { return false; }
}
async function ensureMock() {
  if (await mockUp()) { log('using the mock at', MOCK_URL); return true; }
  if (!fs.existsSync(path.join(ROOT, 'mock-server', 'Cargo.toml'))) { result.notes.push('no mock-server crate: overhead skipped'); return false; }
  const port = new URL(MOCK_URL).port || '18787';
  log(`starting the mock: cargo run -p nexudus-mock --release -- --port ${port} --www www --pkg pkg (first build can take minutes)`);
  mockProc = spawn('cargo', ['run', '-q', '-p', 'nexudus-mock', '--release', '--', '--port', port, '--www', 'www', '--pkg', 'pkg'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  let exited = false;
  mockProc.on('exit', () => { exited = true; });
  const deadline = Date.now() + 15 * 60 * 1000;
  while (Date.now() < deadline && !exited) {
    if (await mockUp()) { log('mock up at', MOCK_URL); return true; }
    await sleep(500);
  }
  result.notes.push('the mock did not come up: overhead skipped');
  return false;
}
function stopMock() {
  if (mockProc && mockProc.exitCode === null) { try { process.kill(-mockProc.pid, 'SIGTERM'); } catch { /* gone */ } }
}
process.on('exit', stopMock);
process.on('SIGINT', () => { stopMock(); process.exit(130); });
process.on('SIGTERM', () => { stopMock(); process.exit(143); });

async function overhead() {
  if (!browser) browser = await launch();
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const errs = [];
    page.on('pageerror', (e) => errs.push(e.message));
    await page.goto(`${ORIGIN}/blank`);
    const r = await page.evaluate(async ({ mock, opsMs, signinRuns }) => {
      const { NexudusAuth } = await import('/pkg/index.js');
      const email = 'alice@example.com', password = 'Passw0rd!';
      const auth = await NexudusAuth.create({ baseUrl: mock, storage: 'memory', autoRefresh: false });
      await auth.signIn({ email, password });
      const out = {};
      // --- getAccessToken() on a warm session vs the floor (an await of a resolved promise) and the sync getter
      const loops = {
        'getAccessToken()': async () => { for (let i = 0; i < 256; i++) await auth.getAccessToken(); },
        'auth.session.accessToken (sync getter)': async () => { for (let i = 0; i < 256; i++) auth.session.accessToken; await 0; },
        'await Promise.resolve(token) (floor)': async () => { const t = 'x'; for (let i = 0; i < 256; i++) await Promise.resolve(t); },
      };
      const ops = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
      for (const f of Object.values(loops)) for (let i = 0; i < 20; i++) await f(); // warm-up (JIT)
      for (let trial = 0; trial < 3; trial++) {
        for (const [k, f] of Object.entries(loops)) {
          let n = 0; const t0 = performance.now(); let t;
          do { await f(); n += 256; t = performance.now(); } while (t - t0 < opsMs);
          ops[k].push(n / ((t - t0) / 1000));
        }
      }
      out.ops = ops;
      // --- sign-in round trip vs a raw fetch of the same request
      const clientId = `nexudus.portal.${email}`;
      const body = `grant_type=password&username=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`;
      const raw = async () => {
        const res = await fetch(`${mock}/api/token`, {
          method: 'POST', body,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', client_id: clientId },
        });
        const j = await res.json();
        if (!j.access_token) throw new Error('raw fetch: no access_token');
      };
      const lib = async () => { const s = await auth.signIn({ email, password }); if (!s.accessToken) throw new Error('no session'); };
      for (let i = 0; i < 3; i++) { await lib(); await raw(); }
      const t = { signIn: [], raw: [], diff: [] };
      for (let i = 0; i < signinRuns; i++) {
        const pair = {};
        for (const [k, f] of (i % 2 ? [['raw', raw], ['signIn', lib]] : [['signIn', lib], ['raw', raw]])) {
          const t0 = performance.now(); await f(); pair[k] = performance.now() - t0;
        }
        t.signIn.push(pair.signIn); t.raw.push(pair.raw); t.diff.push(pair.signIn - pair.raw);
      }
      out.signin = t;
      auth.dispose();
      return out;
    }, { mock: MOCK_URL, opsMs: opts.opsMs, signinRuns: opts.signinRuns });
    // what the library sent, to check the raw fetch is the same request
    try {
      const reqs = await (await fetch(`${MOCK_URL}/mock/requests`)).json();
      const last = reqs.filter((q) => q.path === '/api/token').slice(-2);
      r.lastTokenRequests = last;
    } catch { /* optional */ }
    r.pageErrors = errs;
    return r;
  } finally {
    await ctx.close();
  }
}

if (opts.overhead && HAVE_PKG) {
  if (await ensureMock()) {
    log('overhead: getAccessToken() ops/s and sign-in round trip vs raw fetch');
    try {
      const r = await overhead();
      const summarize = (xs) => ({ median: median(xs), p90: p90(xs), min: Math.min(...xs), n: xs.length });
      result.overhead = {
        ops: Object.fromEntries(Object.entries(r.ops).map(([k, v]) => [k, { median: median(v), trials: v }])),
        signIn: summarize(r.signin.signIn), rawFetch: summarize(r.signin.raw), pairedDiff: summarize(r.signin.diff),
        samples: r.signin, lastTokenRequests: r.lastTokenRequests, pageErrors: r.pageErrors,
      };
    } catch (e) {
      result.notes.push(`overhead failed: ${String(e.message || e).split('\n')[0]}`);
      log('overhead failed:', e.message || e);
    }
  }
  stopMock();
} else if (opts.overhead) {
  result.notes.push('overhead skipped: no pkg/');
}

if (browser) await browser.close();
server.close();

// ---------------------------------------------------------------- 6. report
const md = [];
md.push('# nexudus-auth benchmark', '');
md.push(`${result.date} · git ${result.git} · node ${result.node} · ${result.chromium} · esbuild ${result.versions.esbuild}`);
md.push(`Host: ${result.host}. Command: \`bash bench/run.sh${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\``, '');
md.push(`Peers: ${PEERS.map((p) => `${p.pkg}@${result.versions[p.pkg]}`).join(', ')}.`, '');
for (const n of result.notes) md.push(`> Note: ${n}`);
if (result.notes.length) md.push('');

md.push('## Size (bytes; gzip -9, brotli -q 11, node zlib; KB = 1000 B)', '');
md.push('Peers: a tiny entry that imports the client factory and constructs a client, bundled by esbuild (minified ESM, platform browser).', '');
md.push('| candidate | JS raw | JS gzip | JS brotli | wasm raw | wasm gzip | wasm brotli | **total brotli** | total gzip |');
md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const id of sizeRows) {
  const s = result.sizes[id];
  const w = s.wasm;
  md.push(`| ${id} | ${s.js.raw} | ${s.js.gzip} | ${s.js.brotli} | ${w ? w.raw : ''} | ${w ? w.gzip : ''} | ${w ? w.brotli : ''} | **${kb(s.total.brotli)} KB** | ${kb(s.total.gzip)} KB |`);
}
md.push('');
if (HAVE_PKG) {
  const parts = result.sizes[`${OURS} (pkg files)`].parts;
  md.push('Package files as published (`pkg/`, unminified glue):', '');
  md.push('| file | raw | gzip | brotli |', '|---|---:|---:|---:|');
  for (const [k, v] of Object.entries(parts)) md.push(`| ${k} | ${v.raw} | ${v.gzip} | ${v.brotli} |`);
  md.push('');
  md.push('Size ratios (total brotli):', '');
  for (const ours of [`${OURS} (esbuild bundle)`, `${OURS} (pkg files)`]) {
    md.push(`* ${ours}: ` + PEERS.map((p) => `${OURS} / ${p.id} = ${ratio(result.sizes[ours].total.brotli, result.sizes[p.id].total.brotli)}`).join(' · '));
  }
  md.push('');
}

function loadTable(rows, title) {
  md.push(title, '');
  md.push('| candidate | import→ready median | p90 | − empty module | navigation→ready median | p90 | n | issues |');
  md.push('|---|---:|---:|---:|---:|---:|---:|---|');
  const base = rows['empty module']?.importToReady.median;
  for (const c of loadCandidates) {
    const r = rows[c.id];
    if (!r) continue;
    const d = r.importToReady.median != null && base != null ? r.importToReady.median - base : null;
    md.push(`| ${c.id} | ${ms(r.importToReady.median)} ms | ${ms(r.importToReady.p90)} | ${ms(d)} | ${ms(r.navToReady.median)} ms | ${ms(r.navToReady.p90)} | ${r.n} | ${r.errors.map((e) => e.split('\n')[0]).join('; ').replace(/\|/g, '/').slice(0, 200)} |`);
  }
  md.push('');
  if (HAVE_PKG) {
    md.push('Load-time ratios (median import→ready):', '');
    for (const c of loadCandidates.filter((x) => x.id.startsWith(OURS))) {
      md.push(`* ${c.id}: ` + PEERS.map((p) => `${OURS} / ${p.id} = ${ratio(rows[c.id]?.importToReady.median, rows[p.id]?.importToReady.median)}`).join(' · '));
    }
    md.push('');
  }
}
if (opts.load) {
  loadTable(result.load, `## Load time, loopback (ms; fresh browser context per run, ${opts.warmup} warm-up round(s) discarded, ${opts.runs} interleaved runs)`);
  md.push('import→ready: from `import()` in a module script to a ready client (for nexudus-auth: `await NexudusAuth.create({ baseUrl, storage: \'memory\' })`, i.e. glue + wasm fetched, compiled, instantiated). navigation→ready: the same end point from navigation start, which counts a `<link rel=preload>` started by the HTML. Files served brotli-compressed (`Accept-Encoding` seen: ' + (result.acceptEncoding || []).map((x) => `\`${x}\``).join(', ') + '), `Cache-Control: no-store`, wasm as `application/wasm`.', '');
  if (result.loadLatency) loadTable(result.loadLatency.rows, `## Load time with ${result.loadLatency.latencyMs} ms emulated latency per request, 9 Mbit/s (CDP), ${opts.latencyRuns} interleaved runs`);
}
if (result.overhead) {
  const o = result.overhead;
  md.push(`## Library overhead (mock at ${MOCK_URL}, storage memory, page on another loopback origin)`, '');
  md.push('| operation | median | p90 | min | n |', '|---|---:|---:|---:|---:|');
  md.push(`| \`auth.signIn({email,password})\` round trip | ${ms(o.signIn.median)} ms | ${ms(o.signIn.p90)} ms | ${ms(o.signIn.min)} ms | ${o.signIn.n} |`);
  md.push(`| raw \`fetch\` of the same form-urlencoded \`POST /api/token\` (+ \`.json()\`) | ${ms(o.rawFetch.median)} ms | ${ms(o.rawFetch.p90)} ms | ${ms(o.rawFetch.min)} ms | ${o.rawFetch.n} |`);
  md.push(`| paired difference signIn − raw fetch (same round) | ${ms(o.pairedDiff.median)} ms | ${ms(o.pairedDiff.p90)} ms | | ${o.pairedDiff.n} |`);
  md.push('');
  md.push(`signIn / raw fetch = ${ratio(o.signIn.median, o.rawFetch.median)} (medians), ${ratio(o.signIn.min, o.rawFetch.min)} (minima); the library adds a median ${ms(o.pairedDiff.median)} ms per sign-in over the bare request (paired). The requests are the same: ${o.lastTokenRequests?.length === 2 && o.lastTokenRequests[0].body === o.lastTokenRequests[1].body && o.lastTokenRequests[0].clientId === o.lastTokenRequests[1].clientId && o.lastTokenRequests[0].contentType === o.lastTokenRequests[1].contentType ? 'yes (body, Content-Type and client_id compared in /mock/requests)' : 'NOT CHECKED'}.`, '');
  md.push(`| warm-session call | ops/s (median of 3 × ${opts.opsMs} ms) |`, '|---|---:|');
  for (const [k, v] of Object.entries(o.ops)) md.push(`| \`${k}\` | ${Math.round(v.median).toLocaleString('en-US')} |`);
  const g = o.ops['getAccessToken()']?.median;
  if (g) md.push('', `getAccessToken() costs ≈ ${(1e6 / g).toFixed(2)} µs per call on a warm session.`);
  md.push('');
}

if (wasmSizeMd) md.push('## Where the wasm bytes go', '', wasmSizeMd, '');

fs.mkdirSync(OUT, { recursive: true });
const text = md.join('\n');
fs.writeFileSync(path.join(OUT, 'latest.md'), text + '\n');
fs.writeFileSync(path.join(OUT, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log(text);
log(`wrote ${path.relative(ROOT, path.join(OUT, 'latest.md'))} and latest.json`);
