// The two web entries of the release package, in Chromium against the mock:
// * /pkg/index.js requests nexudus_auth_bg.wasm once, when it is imported (before create() is called);
// * /pkg/embedded/index.js (nexudus-auth/embedded) makes no .wasm request at all and signs in;
// * both compile and instantiate synchronously once the wasm is in hand, and still load where the main
//   thread refuses that (Chrome before 114, for modules over 4 KB);
// * importing either in Node (SSR) fetches nothing and throws nothing; create() rejects with invalid_config.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { MOCK, guard, launch } from './lib.mjs';
import { ALICE, PASSWORD } from './seclib.mjs';

const PKG = process.env.PKG_DIR;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function pageWithWasmLog(context) {
  const page = await context.newPage();
  page.wasmRequests = [];
  page.on('request', (r) => { if (/\.wasm(\?|$)/.test(r.url())) page.wasmRequests.push(r.url()); });
  await page.goto(`${MOCK}/blank.html`);
  return page;
}

test('the main entry starts the .wasm request at import, once, before create()', async () => {
  const context = await browser.newContext();
  const g = guard(context);
  const page = await pageWithWasmLog(context);
  await page.evaluate(async () => { window.mod = await import('/pkg/index.js'); });
  await page.waitForTimeout(300); // no create() yet: the request was made by the import alone
  assert.equal(page.wasmRequests.length, 1, `requests at import: ${page.wasmRequests}`);
  const ok = await page.evaluate(async () => {
    const auth = await window.mod.NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });
    return !!(await auth.signIn({ email: 'alice@example.com', password: 'Passw0rd!' })).accessToken;
  });
  assert.ok(ok);
  assert.equal(page.wasmRequests.length, 1, 'the wasm was requested exactly once');
  g.assertClean();
  await context.close();
});

test('nexudus-auth/embedded signs in without any .wasm request', async () => {
  const context = await browser.newContext();
  const g = guard(context, { allow: [/status of 400.*\/api\/token/] }); // the wrong password, on purpose
  const page = await pageWithWasmLog(context);
  const r = await page.evaluate(async ({ email, password }) => {
    const m = await import('/pkg/embedded/index.js');
    const auth = await m.NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });
    const s = await auth.signIn({ email, password });
    const bad = await auth.signIn({ email, password: 'nope' }).catch((e) => e);
    return { token: !!s.accessToken, badIsAuthError: bad instanceof m.AuthError, code: bad.code, login: m.endpoints.system.auth.refreshToken() };
  }, { email: ALICE, password: PASSWORD });
  assert.deepEqual({ ...r, login: typeof r.login }, { token: true, badIsAuthError: true, code: 'invalid_credentials', login: 'string' });
  await page.waitForTimeout(300);
  assert.deepEqual(page.wasmRequests, []);
  g.assertClean();
  await context.close();
});

// Counts the page's WebAssembly calls; with `refuse`, `new WebAssembly.Module` / `Instance` throw the
// RangeError Chrome before 114 threw on the main thread for modules over 4 KB (the prototypes stay, so the
// glue's `instanceof` checks still hold).
function wasmCalls(refuse) {
  const calls = (window.wasmCalls = {});
  const count = (name) => { calls[name] = (calls[name] || 0) + 1; };
  for (const name of ['instantiate', 'compile', 'compileStreaming', 'instantiateStreaming']) {
    const real = WebAssembly[name];
    WebAssembly[name] = function (...a) { count(name); return real.apply(this, a); };
  }
  for (const name of ['Module', 'Instance']) {
    const Real = WebAssembly[name];
    const Counted = function (...a) {
      count(name);
      if (refuse) throw new RangeError(`WebAssembly.${name} is disallowed on the main thread, if the buffer size is larger than 4KB.`);
      return new Real(...a);
    };
    Counted.prototype = Real.prototype;
    WebAssembly[name] = Counted;
  }
}

for (const refuse of [false, true]) {
  test(refuse ? 'both entries still load where the main thread refuses new WebAssembly.Module (Chrome before 114)'
    : 'both entries compile and instantiate the wasm in hand synchronously (create() resolves sooner)', async () => {
    const seen = {};
    for (const entry of ['/pkg/index.js', '/pkg/embedded/index.js']) {
      const context = await browser.newContext();
      await context.addInitScript(wasmCalls, refuse);
      const g = guard(context);
      const page = await pageWithWasmLog(context);
      seen[entry] = await page.evaluate(async ([entry, email, password]) => {
        const m = await import(entry);
        const auth = await m.NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });
        return { signedIn: !!(await auth.signIn({ email, password })).accessToken, calls: window.wasmCalls };
      }, [entry, ALICE, PASSWORD]);
      g.assertClean();
      await context.close();
    }
    const web = seen['/pkg/index.js'], embedded = seen['/pkg/embedded/index.js'];
    assert.ok(web.signedIn && embedded.signedIn, JSON.stringify(seen));
    if (refuse) { // the synchronous step was tried, refused, and the async glue path loaded the same wasm
      assert.deepEqual(web.calls, { compileStreaming: 1, Instance: 1, instantiate: 1 });
      assert.deepEqual(embedded.calls, { Module: 1, instantiate: 1 });
    } else { // no WebAssembly.instantiate: the early fetch's module, the inlined bytes, each in one step
      assert.deepEqual(web.calls, { compileStreaming: 1, Instance: 1 });
      assert.deepEqual(embedded.calls, { Module: 1, Instance: 1 });
    }
  });
}

test('importing either entry in Node fetches nothing; create() rejects with invalid_config', { skip: !PKG && 'PKG_DIR not set' }, async () => {
  const realFetch = globalThis.fetch;
  let fetched = 0;
  globalThis.fetch = (...a) => { fetched++; return realFetch(...a); };
  try {
    for (const entry of ['index.js', 'embedded/index.js']) {
      const m = await import(pathToFileURL(join(PKG, entry)).href);
      await new Promise((r) => setTimeout(r, 20));
      const e = await m.NexudusAuth.create({ baseUrl: 'https://x.example.com' }).catch((x) => x);
      assert.equal(e.code, 'invalid_config', entry);
    }
    assert.equal(fetched, 0);
  } finally {
    globalThis.fetch = realFetch;
  }
});
