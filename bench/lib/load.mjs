// Step 4 of the benchmark: load time in headless Chromium (fresh context per run, candidates interleaved).

import fs from 'node:fs';
import { CHROMIUM_FLAGS, PEERS, OURS, die, log, median, p90 } from './common.mjs';

/**
 * The load-time rows, in table order: the empty-module baseline, our entries (when pkg/ is built; the
 * embedded entry when pkg/embedded/ exists), the peers. `size` names the matching row of the size table,
 * `wasm` the file that must be fetched exactly once (none for the embedded entry: it makes no such request).
 */
export function loadCandidatesFor(HAVE_PKG, HAVE_EMBEDDED, compare, glueInlined = true) {
  const loadCandidates = [{ id: 'empty module', q: { src: '/b/empty.js' } }];
  if (HAVE_PKG) {
    const bundle = `${OURS}/web (esbuild bundle)`, files = `${OURS}/web (pkg files)`;
    loadCandidates.push(
      { id: bundle, size: bundle, q: { src: '/b/nexudus-auth.js' }, wasm: '/b/nexudus_auth_bg.wasm' },
      { id: `${OURS}/web (esbuild bundle + preload wasm)`, size: bundle, q: { src: '/b/nexudus-auth.js', preload: '/b/nexudus_auth_bg.wasm' }, wasm: '/b/nexudus_auth_bg.wasm' },
    );
    if (compare) {
      const c = `${OURS} [${compare.label}] (esbuild bundle)`;
      loadCandidates.push(
        { id: c, size: c, q: { src: '/b/compare/nexudus-auth.js' }, wasm: '/b/compare/nexudus_auth_bg.wasm' },
        { id: `${OURS} [${compare.label}] (esbuild bundle + preload wasm)`, size: c, q: { src: '/b/compare/nexudus-auth.js', preload: '/b/compare/nexudus_auth_bg.wasm' }, wasm: '/b/compare/nexudus_auth_bg.wasm' },
      );
      if (compare.embedded) {
        const e = `${OURS} [${compare.label}]/embedded (esbuild bundle)`;
        loadCandidates.push({ id: e, size: e, q: { src: '/b/compare/nexudus-auth-embedded.js' }, noWasm: true });
      }
    }
    if (HAVE_EMBEDDED) {
      loadCandidates.push({ id: `${OURS}/embedded (esbuild bundle)`, size: `${OURS}/embedded (esbuild bundle)`, q: { src: '/b/nexudus-auth-embedded.js' }, noWasm: true });
    }
    loadCandidates.push(
      { id: files, size: files, q: { src: '/pkg/index.js', mode: 'pkg' }, wasm: '/pkg/nexudus_auth_bg.wasm' },
      // the entry's one import (auth_error.js; an older package's glue) preloaded as a page would
      { id: `${OURS}/web (pkg files + preload wasm + modulepreload import)`, size: files, q: { src: '/pkg/index.js', mode: 'pkg', preload: '/pkg/nexudus_auth_bg.wasm', modulepreload: glueInlined ? '/pkg/auth_error.js' : '/pkg/nexudus_auth.js' }, wasm: '/pkg/nexudus_auth_bg.wasm' },
    );
    if (HAVE_EMBEDDED) {
      loadCandidates.push({ id: `${OURS}/embedded (pkg files)`, size: `${OURS}/embedded (pkg files)`, q: { src: '/pkg/embedded/index.js', mode: 'pkg' }, noWasm: true });
    }
  }
  for (const p of PEERS) loadCandidates.push({ id: p.id, size: p.id, q: { src: `/b/${p.entry}` } });
  return loadCandidates;
}

export async function launch(chromiumPath) {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(chromiumPath)) die(`no Chromium at ${chromiumPath} (run scripts/setup.sh, or pass --chromium)`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS });
}

/** `srv` is what startServer() returned (origin + per-path hit counts). */
async function oneLoad(browser, srv, c, latency, inspect) {
  const ORIGIN = srv.origin;
  const hits = srv.hits;
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
    const seenWasm = []; // any .wasm request (the embedded entry must make none)
    if (c.noWasm) page.on('request', (q) => { if (/\.wasm(\?|$)/.test(q.url())) seenWasm.push(q.url()); });
    // The page says it is done on the console: waiting through CDP events injects nothing into the page
    // while it loads (waitForFunction would compile Playwright's injected script mid-measurement).
    const done = page.waitForEvent('console', { predicate: (m) => m.text() === '__bench_done__', timeout: 30000 });
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(c.q)) for (const x of [].concat(v)) sp.append(k, x);
    await page.goto(`${ORIGIN}/page?${sp}`, { waitUntil: 'commit', timeout: 30000 });
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
    if (c.noWasm) r.wasmRequests = seenWasm.length;
    if (inspect) r.inspect = seen;
    return r;
  } finally {
    await ctx.close();
  }
}

/** One pass over every candidate: `warmup` discarded rounds, then `runs` measured ones. Returns the rows by id. */
export async function loadPass({ browser, srv, loadCandidates }, label, runs, warmup, latency) {
  const samples = Object.fromEntries(loadCandidates.map((c) => [c.id, { importToReady: [], navToReady: [], errors: [] }]));
  const inspected = {};
  const rounds = warmup + runs;
  for (let r = 0; r < rounds; r++) {
    // interleaved: every round visits every candidate, in an order rotated by one each round
    const n = loadCandidates.length;
    const order = loadCandidates.map((_, i) => loadCandidates[(i + r) % n]);
    for (const c of order) {
      let res;
      try { res = await oneLoad(browser, srv, c, latency, r === 0); } catch (e) { res = { error: String(e.message || e) }; }
      if (r === 0) inspected[c.id] = res;
      if (res.error) { samples[c.id].errors.push(res.error); if (r === 0) log(`  ${c.id}: ERROR ${res.error.split('\n')[0]}`); continue; }
      if (c.wasm && res.wasmFetches !== 1) samples[c.id].errors.push(`wasm fetched ${res.wasmFetches}× in one load`);
      // a preload must start with the import(), as in an app's HTML, not before it (bench/lib/server.mjs)
      if (res.preloadStart != null && res.preloadStart < -1) samples[c.id].errors.push(`preload requested ${(-res.preloadStart).toFixed(1)} ms before import()`);
      if (c.noWasm && res.wasmRequests) samples[c.id].errors.push(`${res.wasmRequests} .wasm request(s) from the embedded entry`);
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
