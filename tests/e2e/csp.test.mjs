// The package works under a strict Content-Security-Policy (sent as an HTTP header by the pages'
// server, see setPage in lib.mjs; the API is another origin): it loads, compiles its wasm, signs in and calls
// the API with no `securitypolicyviolation` event and no CSP console error. A control proves the
// policy is enforced (an inline script is refused and reported). The demo page (/) is run under
// the same header and must be CSP-clean too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MOCK, PAGES, guard, launch, setPage } from './lib.mjs';
import { panics, recordConsole } from './seclib.mjs';

const STRICT = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const API = new URL(MOCK).origin;
const STRICTEST =
  `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${API}; object-src 'none'; ` +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>CSP test</title>
<script type="module" src="/csp-test.js"></script></head><body><p id="out">loading</p></body></html>`;

const APP = `import { NexudusAuth, AuthError } from '/pkg/index.js';
const out = document.getElementById('out');
try {
  const auth = await NexudusAuth.create({ baseUrl: '${API}', storage: 'memory' });
  const bad = await auth.signIn({ email: 'alice@example.com', password: 'nope' }).catch((e) => e);
  const session = await auth.signIn({ email: 'alice@example.com', password: 'Passw0rd!' });
  const me = await (await auth.fetch('/api/public/billing/customer')).json();
  const link = await auth.authenticatedLink('/portal/home');
  window.result = { ok: true, signedIn: !!session.accessToken, email: me.Email, badCode: bad instanceof AuthError ? bad.code : String(bad), link: link.startsWith('${API}/user/login?') };
  out.textContent = 'done';
} catch (e) {
  window.result = { ok: false, error: String(e && e.stack || e) };
  out.textContent = 'failed';
}`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Records securitypolicyviolation events from the first script on (init scripts bypass CSP). */
const recordViolations = (context) =>
  context.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  });

const cspConsole = (page) => page.consoleAll.filter((m) => /Content Security Policy|Refused to|TrustedHTML|TrustedScript|trusted-types/i.test(m.text));

for (const [name, policy] of [['strict', STRICT], ['strictest (default-src none, Trusted Types)', STRICTEST]]) {
  test(`the package signs in under a ${name} CSP header`, async () => {
    const context = await browser.newContext();
    await recordViolations(context);
    const g = guard(context, { allow: [/status of 400.*\/api\/token/] });
    setPage('/csp-test.html', { body: PAGE, headers: { 'content-security-policy': policy } });
    setPage('/csp-test.js', { body: APP, type: 'text/javascript; charset=utf-8' });
    const page = await context.newPage();
    recordConsole(page);
    const res = await page.goto(`${PAGES}/csp-test.html`);
    assert.equal(res.headers()['content-security-policy'], policy, 'the policy is in force');
    await page.waitForFunction(() => window.result, null, { timeout: 15_000, polling: 50 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { ok: true, signedIn: true, email: 'alice@example.com', badCode: 'invalid_credentials', link: true });
    assert.deepEqual(await page.evaluate(() => window.violations), [], 'no securitypolicyviolation');
    assert.deepEqual(cspConsole(page), [], 'no CSP console error');
    assert.deepEqual(panics(page), []);
    g.assertClean();

    // Control: the policy is enforced here, and the recorder sees a violation.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
    }).catch(() => {}); // Trusted Types may refuse the assignment itself
    await page.waitForFunction(() => window.violations.length > 0, null, { timeout: 5000, polling: 50 });
    assert.equal(await page.evaluate(() => window.inlineRan ?? false), false, 'inline script refused');
    await context.close();
  });
}

// Without 'wasm-unsafe-eval' the default entry cannot compile its inlined wasm: create() rejects with the
// hint that names the fix, and so does a second create() (it retries the inlined wasm; until 2026-12-03 it
// fetched nexudus_auth_bg.wasm, which a bundled app does not serve, and blamed a 404).
const NO_WASM_APP = `import { NexudusAuth, AuthError } from '/pkg/embedded/index.js';
const tries = [];
for (let i = 0; i < 2; i++) {
  tries.push(await NexudusAuth.create({ baseUrl: '${API}', storage: 'memory' })
    .then(() => 'created', (e) => (e instanceof AuthError ? { code: e.code, message: e.message } : String(e))));
}
window.result = tries;`;

test("without 'wasm-unsafe-eval' the default entry's create() names the fix, on a retry too, and requests no .wasm", async () => {
  const context = await browser.newContext();
  setPage('/csp-nowasm.html', { body: PAGE.replace('/csp-test.js', '/csp-nowasm.js'), headers: { 'content-security-policy': "script-src 'self'" } });
  setPage('/csp-nowasm.js', { body: NO_WASM_APP, type: 'text/javascript; charset=utf-8' });
  const page = await context.newPage();
  const wasmRequests = [];
  page.on('request', (r) => { if (/\.wasm(\?|$)/.test(r.url())) wasmRequests.push(r.url()); });
  await page.goto(`${PAGES}/csp-nowasm.html`);
  await page.waitForFunction(() => window.result, null, { timeout: 15_000, polling: 50 });
  const tries = await page.evaluate(() => window.result);
  assert.equal(tries.length, 2);
  for (const t of tries) {
    assert.equal(t.code, 'invalid_config', JSON.stringify(t));
    assert.match(t.message, /add 'wasm-unsafe-eval' to script-src/, t.message);
  }
  assert.deepEqual(wasmRequests, [], 'the default entry never asks for a .wasm file');
  await context.close();
});

test('the demo page (/) works under the strict CSP header', async () => {
  const context = await browser.newContext();
  await recordViolations(context);
  const g = guard(context, { allow: [/requestfailed: GET \S+\/mock\/totp\/\S+ — net::ERR_ABORTED/] });
  setPage('/', { headers: { 'content-security-policy': STRICT } });
  const page = await context.newPage();
  recordConsole(page);
  const res = await page.goto(`${PAGES}/`);
  assert.equal(res.headers()['content-security-policy'], STRICT);
  await page.locator('#view-loading').waitFor({ state: 'hidden', timeout: 15_000 });
  await page.locator('#signin-email').fill('alice@example.com');
  await page.locator('#signin-password').fill('Passw0rd!');
  await page.locator('#signin-password').press('Enter');
  await page.locator('#view-session').waitFor({ state: 'visible', timeout: 15_000 });
  assert.deepEqual(await page.evaluate(() => window.violations), [], 'the demo is CSP-clean');
  assert.deepEqual(cspConsole(page), []);
  assert.deepEqual(panics(page), []);
  g.assertClean();
  await context.close();
});
