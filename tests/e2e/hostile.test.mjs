// Hostile input in a real browser (release package on a page of another origin than the API's):
//  * a tampered stored session (wrong types, unknown version, huge, deeply nested, not JSON) is
//    discarded: session null, SIGNED_OUT fired, storage cleared, a `storage` warning through
//    onWarning, and nothing at all on the console;
//  * open redirects: authenticatedLink / portalLoginUrl / authenticatedLinkUrl refuse other
//    origins, scheme-relative and backslash tricks and javascript: URLs with invalid_config,
//    allowedRedirectOrigins lets a listed origin through, and every URL part of the built link
//    is percent-encoded (parsed back with `new URL`); the one-time link works once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MOCK, guard, launch } from './lib.mjs';
import { openAuth, panics, signIn, stored, uid } from './seclib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const valid = (over = {}) =>
  JSON.stringify({ v: 1, accessToken: 'a.b.c', tokenType: 'bearer', expiresAt: Date.now() + 3_600_000, refreshToken: 'r', clientId: 'c', email: null, ...over });

const TAMPERED = {
  'wrong types': valid({ accessToken: 123, expiresAt: 'soon', refreshToken: ['x'], clientId: true }),
  'unknown version': valid({ v: 2 }),
  'version as a string': valid({ v: '1' }),
  'missing accessToken': valid({ accessToken: undefined }),
  'non-finite expiresAt': valid({ expiresAt: null }),
  'not JSON': 'not json {',
  'JSON but not an object': '[1,2,3]',
  'huge (2 MB of garbage)': 'x'.repeat(2_000_000),
  'deeply nested (200k)': '['.repeat(200_000),
};

describe('a tampered stored session is discarded, never trusted', () => {
  for (const [name, value] of Object.entries(TAMPERED)) {
    test(name, async () => {
      const context = await browser.newContext();
      const g = guard(context);
      const storageKey = uid('tamper');
      const page = await openAuth(context, { storageKey }, {
        before: { fn: ([k, v]) => localStorage.setItem(k, v), arg: [storageKey, value] },
      });
      await page.waitForFunction(() => window.events.length > 0, null, { timeout: 5000, polling: 50 });
      await page.waitForTimeout(50);
      assert.equal(await page.evaluate(() => window.auth.session), null, 'session null');
      assert.deepEqual(await page.evaluate(() => window.events), [['SIGNED_OUT', null]], 'SIGNED_OUT fired once');
      assert.equal(await stored(page, storageKey), null, 'storage cleared');
      const warnings = await page.evaluate(() => window.warnings);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].code, 'storage');
      assert.ok(!warnings[0].message.includes(value.slice(0, 40)), 'the warning does not echo the stored value');
      assert.equal(await page.evaluate(() => window.auth.nextRefreshAt), null, 'nothing scheduled');
      const r = await page.evaluate(() => window.attempt(window.auth.getAccessToken()));
      assert.equal(r.err?.code, 'unauthorized');
      assert.deepEqual(page.consoleAll.filter((m) => m.type === 'error' || m.type === 'warning' || m.type === 'pageerror'), [], 'no console output');
      assert.deepEqual(panics(page), []);
      g.assertClean();
      await context.close();
    });
  }

  test('garbage written by another tab signs this tab out without a crash; a reload discards it', async () => {
    const context = await browser.newContext();
    const g = guard(context);
    const storageKey = uid('tamper-x');
    const a = await openAuth(context, { storageKey });
    assert.ok((await signIn(a)).ok);
    const b = await openAuth(context, { storageKey });
    assert.ok(await b.evaluate(() => window.auth.session !== null));
    await b.evaluate((k) => localStorage.setItem(k, '{"v":1,"accessToken":'), storageKey);
    await a.waitForFunction(() => window.events.some((e) => e[0] === 'SIGNED_OUT'), null, { timeout: 5000, polling: 50 });
    assert.equal(await a.evaluate(() => window.auth.session), null);
    const c = await openAuth(context, { storageKey });
    await c.waitForFunction(() => window.events.length > 0, null, { timeout: 5000, polling: 50 });
    assert.equal(await stored(c, storageKey), null);
    assert.deepEqual([...panics(a), ...panics(b), ...panics(c)], []);
    g.assertClean();
    await context.close();
  });
});

describe('open redirect and encoding of authenticated links', () => {
  let context;
  let page;
  let g;
  const SHOP = 'https://shop.example.com';
  before(async () => {
    context = await browser.newContext();
    g = guard(context);
    page = await openAuth(context, { storageKey: uid('links'), allowedRedirectOrigins: [SHOP] });
    assert.ok((await signIn(page)).ok);
  });
  after(async () => { await context?.close(); });

  const EVIL = [
    'https://evil.example/x', '//evil.example', '//evil.example/path', 'javascript:alert(1)', 'JavaScript:alert(1)',
    '/\\evil.example', '\\\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example\\@127.0.0.1/',
    `${MOCK}@evil.example/`, 'https://127.0.0.1.evil.example/', 'data:text/html,<script>alert(1)</script>',
    'http:evil.example', ' //evil.example', 'https://shop.example.com.evil.example/', 'https://shop.example.com:8443/',
    'http://shop.example.com/', 'vbscript:x', 'https://user:pass@shop.example.com/',
  ];

  test('authenticatedLink, portalLoginUrl and authenticatedLinkUrl refuse every off-origin redirect', async () => {
    const before = (await (await fetch(`${MOCK}/mock/stats`)).json()).requests;
    const results = await page.evaluate(async (list) => {
      const out = [];
      for (const url of list) {
        const a = await window.attempt(window.auth.authenticatedLink(url));
        const b = await window.attempt(window.auth.portalLoginUrl(url));
        let c;
        try { window.mod.authenticatedLinkUrl(window.API, 't', url); c = { ok: true }; } catch (e) { c = { ok: false, err: window.describeError(e) }; }
        out.push({ url, codes: [a, b, c].map((r) => (r.ok ? 'ACCEPTED' : r.err.code)), auth: [a, b, c].every((r) => r.ok || r.err.isAuthError) });
      }
      return out;
    }, EVIL);
    for (const r of results) {
      assert.deepEqual(r.codes, ['invalid_config', 'invalid_config', 'invalid_config'], `redirect ${JSON.stringify(r.url)}`);
      assert.ok(r.auth, 'AuthError instances');
    }
    const afterCount = (await (await fetch(`${MOCK}/mock/stats`)).json()).requests;
    assert.equal(afterCount, before, 'a refused redirect never asks the server for a one-time token');
  });

  const GOOD = [
    '/en/invoices/1042',
    '/portal/home?x=1&y=a b&z=%41#frag',
    '/ünïcödé/päth?q=日本語&e=😀',
    "/a'b(c)!*~_.-+=,;:@$",
    `${SHOP}/cart?a=1&b=2#top`,
    `${SHOP.toUpperCase()}:443/Cart`,
  ];

  test('allowed redirects build links whose every URL part is percent-encoded', async () => {
    const links = await page.evaluate(async (list) => {
      const out = [];
      for (const url of [...list, `${window.API}/portal/abs?q=1`]) {
        out.push({ url, link: await window.auth.authenticatedLink(url), login: await window.auth.portalLoginUrl(url) });
      }
      return out;
    }, GOOD);
    for (const { url, link, login } of links) {
      const u = new URL(link);
      assert.equal(u.origin, MOCK, 'the link stays on the portal');
      assert.equal(u.pathname, '/user/login');
      assert.deepEqual([...u.searchParams.keys()], ['server', 't', 'redirectUrl']);
      assert.equal(u.searchParams.get('server'), 'true');
      assert.ok(u.searchParams.get('t').length > 8, 'a one-time token');
      assert.equal(u.searchParams.get('redirectUrl'), url, 'redirectUrl survives the round trip exactly');
      assert.equal(u.hash, '', 'no fragment leaks out of redirectUrl');
      const query = link.slice(link.indexOf('?') + 1);
      assert.match(query, /^[A-Za-z0-9\-_.!~*'()%=&]+$/, 'only encodeURIComponent output in the query');
      assert.ok(query.endsWith(`redirectUrl=${encodeURIComponent(url)}`), 'encoded exactly like encodeURIComponent');
      const l = new URL(login);
      assert.equal(l.pathname, '/login');
      assert.equal(l.searchParams.get('redirectUrl'), url);
    }
  });

  test('the one-time link lands on the redirect once; replayed, it is refused', async () => {
    const link = await page.evaluate(() => window.auth.authenticatedLink('/portal/home?from=test'));
    const p2 = await context.newPage();
    const res = await p2.goto(link);
    assert.equal(res.status(), 200);
    assert.equal(new URL(p2.url()).pathname + new URL(p2.url()).search, '/portal/home?from=test');
    const again = await p2.goto(link);
    assert.equal(again.status(), 401, 'the t token is single use');
    await p2.close();
    g.assertClean([/status of 401.*\/user\/login/]);
  });
});
