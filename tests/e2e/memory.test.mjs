// Memory: one page of the release package (/pkg/index.js) churns the wasm allocator with
// CHURN_CYCLES (default 1500) rounds of sign-in + refresh + getAccessToken + auth.fetch + sign-out
// against the mock (3000+ token calls), and neither the wasm linear memory nor the JS heap grows.
// Measured after a warm-up of WARMUP rounds (the allocator reaches its working set there), with a
// forced GC (--js-flags=--expose-gc) before each reading. The wasm `WebAssembly.Memory` is read
// through the glue's init(), which returns the already instantiated exports.
// Asserts: linear memory unchanged (it never shrinks, so any leak or fragmentation shows as growth),
// the glue's externref table (JS values held by Rust) unchanged, JS heap within +250 kB (the page's
// own event log is emptied before each reading), every call succeeded. Prints the readings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { guard, launch } from './lib.mjs';
import { ALICE, PASSWORD, openAuth, panics, uid } from './seclib.mjs';

const CYCLES = Number(process.env.CHURN_CYCLES ?? 1500);
const WARMUP = 200;

let browser;
before(async () => { browser = await launch({ args: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] }); });
after(async () => { await browser?.close(); });

/**
 * An init script: keeps the WebAssembly instance the package creates as `window.__wasmInstance` (the web
 * entry's glue is inlined into pkg/index.js, so the page cannot import it to reach the wasm's exports).
 * The package instantiates the module it compiled early with `new WebAssembly.Instance`, and falls back to
 * `WebAssembly.instantiate*`: all three are kept.
 */
function keepInstance() {
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function (...args) { return (window.__wasmInstance = new Instance(...args)); };
  WebAssembly.Instance.prototype = Instance.prototype;
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const real = WebAssembly[name];
    WebAssembly[name] = async function (...args) {
      const r = await real.apply(this, args);
      window.__wasmInstance = r instanceof WebAssembly.Instance ? r : r.instance;
      return r;
    };
  }
}

/** Runs `n` churn rounds in the page, then GCs and reads both memories. */
const churn = (page, n) =>
  page.evaluate(async ({ n, email, password, clientId }) => {
    const auth = window.auth;
    let failures = 0;
    for (let i = 0; i < n; i++) {
      try {
        const s = await auth.signIn({ email, password, clientId });
        const r = await auth.refresh();
        if (!s.accessToken || !r.accessToken || r.accessToken === s.accessToken) failures++;
        if ((await auth.getAccessToken()) !== r.accessToken) failures++;
        if (i % 10 === 0 && (await auth.fetch('/api/public/billing/customer')).status !== 200) failures++;
        auth.signOut();
      } catch (e) {
        failures++;
        window.lastError = String(e?.code ?? e);
      }
    }
    window.events.length = 0; // openAuth's onChange log, not the library's
    for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 50)); }
    // the instance the package made (captured by keepInstance); the release build shortens the export names
    // (scripts/minify-wasm-names.mjs): find them by kind
    const exports = Object.values(window.__wasmInstance.exports);
    const one = (kind) => {
      const found = exports.filter((v) => v instanceof kind);
      if (found.length !== 1) throw new Error(`${found.length} exported ${kind.name}s`);
      return found[0];
    };
    return {
      failures, lastError: window.lastError ?? null, wasmBytes: one(WebAssembly.Memory).buffer.byteLength,
      externrefs: one(WebAssembly.Table).length, jsHeap: performance.memory.usedJSHeapSize,
    };
  }, { n, email: ALICE, password: PASSWORD, clientId: uid('churn') });

test(`${CYCLES} sign-in/refresh/sign-out rounds in one page grow neither wasm memory nor the JS heap`, { timeout: 600_000 }, async () => {
  const context = await browser.newContext();
  await context.addInitScript(keepInstance);
  const g = guard(context);
  const page = await openAuth(context, { storage: 'memory', autoRefresh: false, storageKey: uid('churn') });
  const warm = await churn(page, WARMUP);
  const t0 = Date.now();
  const end = await churn(page, CYCLES);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`# churn: ${CYCLES} rounds in ${secs} s; wasm memory ${warm.wasmBytes} -> ${end.wasmBytes} B; ` +
    `externrefs ${warm.externrefs} -> ${end.externrefs}; JS heap ${warm.jsHeap} -> ${end.jsHeap} B`);
  assert.equal(warm.failures + end.failures, 0, `failed calls (last: ${end.lastError ?? warm.lastError})`);
  assert.equal(end.wasmBytes, warm.wasmBytes, 'the wasm linear memory grew after the warm-up');
  assert.equal(end.externrefs, warm.externrefs, 'the externref table grew: JS values leaked to Rust');
  assert.ok(end.jsHeap - warm.jsHeap < 250_000, `JS heap grew by ${end.jsHeap - warm.jsHeap} B`);
  assert.deepEqual(panics(page), []);
  g.assertClean();
  await context.close();
});
