// Protected files (auth.mediaUrl) and team-admin impersonation (auth.impersonate / impersonating /
// stopImpersonating) in real Chromium, on a page origin other than the API's, running the release
// package against the mock (docs/MOCK.md "Protected files", "Team-admin impersonation"). alice (1)
// administers erin (5) and frank (6); bob (2) administers no team.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MOCK, guard, launch, mockApi, openClient as openTestClient, refreshGrant, resetMock, uid } from './lib.mjs';

const PASSWORD = 'Passw0rd!';
const ALICE = 'nexudus.portal.alice@example.com';
const ERIN = 'nexudus.portal.erin@example.com';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
beforeEach(async () => {
  await resetMock();
});

/** Opens blank.html (PAGES) and creates `window.auth` (autoRefresh off; events in `window.events`). */
const openClient = (context, options) => openTestClient(context, { autoRefresh: false, ...options });

const signIn = (page, email) => page.evaluate(([email, password]) => window.auth.signIn({ email, password }), [email, PASSWORD]);

/** Runs `auth[method](...args)` in the page; resolves to {ok, value} or {ok:false, name, code}. */
const call = (page, method, ...args) =>
  page.evaluate(async ([method, args]) => {
    try {
      return { ok: true, value: await window.auth[method](...args) };
    } catch (e) {
      return { ok: false, name: e?.name, code: e?.code, message: String(e?.message ?? e) };
    }
  }, [method, args]);

const stored = (page, key) => page.evaluate((key) => localStorage.getItem(key), key);

/** The billing customer the current session belongs to, through auth.fetch. */
const customer = (page) =>
  page.evaluate(async () => (await window.auth.fetch('/api/public/billing/customer')).json());

/** Waits until the page's `auth.impersonating` equals `id`. */
const waitImpersonating = (page, id) => page.waitForFunction((id) => window.auth.impersonating === id, id, { timeout: 10_000 });

async function refreshesBy(clientId) {
  return (await mockApi('/mock/stats')).refreshByClientId?.[clientId] ?? 0;
}

describe('auth.mediaUrl', () => {
  test('gives a ?t= / &t= URL on the API whose PDF downloads (200, %PDF-); signed out → unauthorized; off-origin → invalid_config', async () => {
    const context = await browser.newContext();
    const g = guard(context);
    const page = await openClient(context, { storageKey: uid('media') });

    const signedOut = await call(page, 'mediaUrl', '/api/public/billing/invoices/1042/pdf');
    assert.deepEqual([signedOut.ok, signedOut.name, signedOut.code], [false, 'AuthError', 'unauthorized']);
    assert.equal((await mockApi('/mock/stats')).media, 0, 'no media token was asked for while signed out');

    await signIn(page, 'alice@example.com');
    const plain = await call(page, 'mediaUrl', '/api/public/billing/invoices/1042/pdf');
    assert.ok(plain.ok, plain.message);
    const u = new URL(plain.value);
    assert.equal(u.origin, MOCK);
    assert.equal(u.pathname, '/api/public/billing/invoices/1042/pdf');
    assert.deepEqual([...u.searchParams.keys()], ['t']);
    assert.match(u.searchParams.get('t'), /^[\w-]+\.[\w-]+\.[\w-]+$/, 't is a JWT');
    assert.ok(plain.value.startsWith(`${MOCK}/api/public/billing/invoices/1042/pdf?t=`));

    const withQuery = await call(page, 'mediaUrl', '/api/public/billing/invoices/1042/pdf?download=1');
    assert.ok(withQuery.ok, withQuery.message);
    assert.ok(withQuery.value.startsWith(`${MOCK}/api/public/billing/invoices/1042/pdf?download=1&t=`), withQuery.value);

    // The browser itself opens the file: a plain navigation, no bearer header.
    const pdfPage = await context.newPage();
    const res = await pdfPage.request.get(plain.value);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^application\/pdf/);
    const body = await res.body();
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(body.subarray(-32).toString('latin1'), /%%EOF\s*$/, 'a complete PDF');
    const stats = await mockApi('/mock/stats');
    assert.equal(stats.media, 2, 'one media token per mediaUrl call');
    assert.equal(stats.mediaFile, 1);

    for (const bad of ['https://evil.example/x.pdf', '//evil.example/x.pdf', 'api/public/x']) {
      const r = await call(page, 'mediaUrl', bad);
      assert.deepEqual([r.ok, r.code], [false, 'invalid_config'], `mediaUrl(${bad})`);
    }
    assert.equal((await mockApi('/mock/stats')).media, 2, 'no media token for a refused path');
    g.assertClean();
    await context.close();
  });
});

describe('team-admin impersonation', () => {
  test('alice acts for erin and comes back; SIGNED_IN both ways; the admin session never reaches JS', async () => {
    const context = await browser.newContext();
    const g = guard(context);
    const key = uid('imp');
    const page = await openClient(context, { storageKey: key });
    const alice = await signIn(page, 'alice@example.com');
    assert.equal(await page.evaluate(() => window.auth.impersonating), null);
    const profiles = await page.evaluate(async () => (await window.auth.fetch('/api/public/coworkers/profiles')).json());
    assert.deepEqual(profiles.Profiles.map((p) => p.Id), [5, 6]);

    await page.evaluate(() => { window.events.length = 0; });
    const r = await call(page, 'impersonate', 5);
    assert.ok(r.ok, r.message);
    const erin = r.value;
    assert.notEqual(erin.accessToken, alice.accessToken);
    assert.equal(await page.evaluate(() => window.auth.impersonating), 5);
    assert.deepEqual(await page.evaluate(() => window.events), [['SIGNED_IN', erin.accessToken]]);
    assert.equal(await page.evaluate(() => window.auth.session.accessToken), erin.accessToken);
    assert.equal((await customer(page)).Email, 'erin@example.com');
    assert.equal((await mockApi('/mock/stats')).impersonate, 1);

    // Storage: the member's session is current and says so; the admin's is under <key>:admin.
    const cur = JSON.parse(await stored(page, key));
    assert.equal(cur.impersonating, 5);
    assert.equal(cur.clientId, ERIN);
    const aside = JSON.parse(await stored(page, `${key}:admin`));
    assert.equal(aside.accessToken, alice.accessToken);
    assert.equal(aside.clientId, ALICE);

    // Nothing JS can reach holds the admin's tokens (walk window and the auth object's getters).
    const reachable = (tokens) => page.evaluate(([at, rt]) => {
      const found = [];
      const seen = new WeakSet();
      const walk = (v, path, depth) => {
        if (typeof v === 'string') {
          if (v.includes(at) || (rt && v.includes(rt))) found.push(path);
          return;
        }
        if (!v || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 4) return;
        seen.add(v);
        let names = [];
        try { names = Object.getOwnPropertyNames(v); } catch { return; }
        for (const n of names) {
          if (path === 'window' && (n === 'localStorage' || n === 'sessionStorage')) continue; // storage is not JS state
          // Data properties only: built-in getters throw on the wrong receiver (the auth getters are read below).
          const d = Object.getOwnPropertyDescriptor(v, n);
          if (d && 'value' in d) walk(d.value, `${path}.${n}`, depth + 1);
        }
      };
      walk(window, 'window', 0);
      const proto = Object.getPrototypeOf(window.auth);
      for (const n of Object.getOwnPropertyNames(proto)) {
        const d = Object.getOwnPropertyDescriptor(proto, n);
        if (d.get) walk(d.get.call(window.auth), `auth.${n}`, 0);
      }
      walk(JSON.stringify(window.auth.session), 'auth.session', 0);
      return found;
    }, tokens);
    assert.deepEqual(await reachable([alice.accessToken, aside.refreshToken]), [], 'the admin session is not exposed');
    // Control: the same walk does find the current (member's) token.
    assert.ok((await reachable([erin.accessToken, null])).includes('auth.session'), 'the walk finds what JS can reach');

    await page.evaluate(() => { window.events.length = 0; });
    const back = await call(page, 'stopImpersonating');
    assert.ok(back.ok, back.message);
    assert.equal(back.value.accessToken, alice.accessToken, 'not due: the admin session comes back as it was');
    assert.equal(await page.evaluate(() => window.auth.impersonating), null);
    assert.deepEqual(await page.evaluate(() => window.events), [['SIGNED_IN', alice.accessToken]]);
    assert.equal((await customer(page)).Email, 'alice@example.com');
    assert.equal(await stored(page, `${key}:admin`), null, 'the aside copy is gone');
    assert.equal(JSON.parse(await stored(page, key)).impersonating, null);
    g.assertClean();
    await context.close();
  });

  test('a second tab follows the start and the stop', async () => {
    const context = await browser.newContext();
    const g = guard(context);
    const key = uid('imp2');
    const first = await openClient(context, { storageKey: key });
    const alice = await signIn(first, 'alice@example.com');
    const second = await openClient(context, { storageKey: key });
    assert.equal(await second.evaluate(() => window.auth.session?.accessToken), alice.accessToken);

    const r = await call(first, 'impersonate', 6);
    assert.ok(r.ok, r.message);
    await waitImpersonating(second, 6);
    assert.equal(await second.evaluate(() => window.auth.session.accessToken), r.value.accessToken);
    assert.deepEqual((await second.evaluate(() => window.events)).at(-1), ['SIGNED_IN', r.value.accessToken]);
    assert.equal((await customer(second)).Email, 'frank@example.com');

    // The stop may come from the other tab too.
    const back = await call(second, 'stopImpersonating');
    assert.ok(back.ok, back.message);
    await waitImpersonating(first, null);
    assert.equal(await first.evaluate(() => window.auth.session.accessToken), alice.accessToken);
    assert.deepEqual((await first.evaluate(() => window.events)).at(-1), ['SIGNED_IN', alice.accessToken]);
    assert.equal((await customer(first)).Email, 'alice@example.com');
    g.assertClean();
    await context.close();
  });

  test('a refusal (not an admin, not a member) is unauthorized and leaves the stored admin session byte for byte', async () => {
    const context = await browser.newContext();
    // Chromium logs the refused 403s as console errors.
    const g = guard(context, { allow: [/status of 403/] });
    const key = uid('refuse');
    const page = await openClient(context, { storageKey: key });
    await signIn(page, 'alice@example.com');
    const before = await stored(page, key);
    for (const bad of [0, -3, 1.5, 2 ** 53, '5', null]) {
      const r = await call(page, 'impersonate', bad);
      assert.deepEqual([r.ok, r.code, r.message], [false, 'invalid_config', 'coworkerId must be a positive integer'], `impersonate(${bad})`);
    }
    for (const id of [2, 999]) {
      await page.evaluate(() => { window.events.length = 0; });
      const r = await call(page, 'impersonate', id);
      assert.deepEqual([r.ok, r.name, r.code], [false, 'AuthError', 'unauthorized'], `impersonate(${id})`);
      assert.equal(await stored(page, key), before, 'the stored session is unchanged');
      assert.equal(await stored(page, `${key}:admin`), null);
      assert.equal(await page.evaluate(() => window.auth.impersonating), null);
      assert.deepEqual(await page.evaluate(() => window.events), [], 'no event');
    }

    // bob administers no team.
    const bobKey = uid('bob');
    const bobPage = await openClient(context, { storageKey: bobKey });
    const code = (await mockApi('/mock/totp/bob@example.com')).code;
    await bobPage.evaluate(([c, p]) => window.auth.signIn({ email: 'bob@example.com', password: p, totp: c }), [code, PASSWORD]);
    const bobBefore = await stored(bobPage, bobKey);
    const r = await call(bobPage, 'impersonate', 5);
    assert.deepEqual([r.ok, r.name, r.code], [false, 'AuthError', 'unauthorized']);
    assert.equal(await stored(bobPage, bobKey), bobBefore);
    assert.equal(await stored(bobPage, `${bobKey}:admin`), null);
    assert.equal((await mockApi('/mock/stats')).impersonate, 0, 'no impersonation token was issued');
    g.assertClean();
    await context.close();
  });

  test('while impersonating, each session refreshes with its own client_id and refresh token; rotating one never touches the other', async () => {
    await mockApi('/mock/config', { accessTtlSeconds: 6 });
    const context = await browser.newContext();
    const g = guard(context);
    const key = uid('rot');
    const page = await openClient(context, { storageKey: key });
    const alice = await signIn(page, 'alice@example.com');
    const r = await call(page, 'impersonate', 5);
    assert.ok(r.ok, r.message);
    const adminStored = await stored(page, `${key}:admin`);
    const erin0 = JSON.parse(await stored(page, key));
    // Under load the admin token may already have been refreshed once before the impersonation.
    const aliceRefreshes = await refreshesBy(ALICE);

    // The member's session rotates: its own client_id, the admin's copy untouched.
    const rotated = await call(page, 'refresh');
    assert.ok(rotated.ok, rotated.message);
    const erin1 = JSON.parse(await stored(page, key));
    assert.notEqual(erin1.refreshToken, erin0.refreshToken);
    assert.equal(erin1.clientId, ERIN);
    assert.equal(erin1.impersonating, 5, 'a refresh keeps the impersonation');
    assert.equal(await refreshesBy(ERIN), 1);
    assert.equal(await refreshesBy(ALICE), aliceRefreshes);
    assert.equal(await stored(page, `${key}:admin`), adminStored, 'the admin session is byte for byte the same');
    assert.equal((await customer(page)).Email, 'erin@example.com');

    // Past half the admin token's life: stopping refreshes the admin session with its own refresh token.
    const { receivedAt, expiresAt, accessToken: adminToken } = JSON.parse(adminStored);
    const due = receivedAt + (expiresAt - receivedAt) / 2 + 500;
    await new Promise((res) => setTimeout(res, Math.max(0, due - Date.now())));
    const back = await call(page, 'stopImpersonating');
    assert.ok(back.ok, back.message);
    assert.notEqual(back.value.accessToken, adminToken, 'the due admin session was refreshed');
    assert.notEqual(back.value.accessToken, alice.accessToken);
    const admin1 = JSON.parse(await stored(page, key));
    assert.equal(admin1.clientId, ALICE);
    assert.notEqual(admin1.refreshToken, JSON.parse(adminStored).refreshToken);
    assert.equal(admin1.impersonating, null);
    assert.equal(await refreshesBy(ALICE), aliceRefreshes + 1);
    assert.equal(await refreshesBy(ERIN), 1, 'the member session was not rotated again');
    assert.equal((await mockApi('/mock/stats')).failedRefresh, 0);

    // Server side, the member's last refresh token is still good: the admin's rotation did not touch it.
    const res = await refreshGrant(ERIN, erin1.refreshToken);
    assert.equal(res.status, 200);
    g.assertClean();
    await context.close();
  });

  test('signOut() while impersonating clears both keys, in every tab', async () => {
    const context = await browser.newContext();
    const g = guard(context);
    const key = uid('out');
    const page = await openClient(context, { storageKey: key });
    await signIn(page, 'alice@example.com');
    const other = await openClient(context, { storageKey: key });
    assert.ok((await call(page, 'impersonate', 5)).ok);
    await waitImpersonating(other, 5);
    assert.notEqual(await stored(page, `${key}:admin`), null);
    await page.evaluate(() => window.auth.signOut());
    assert.equal(await stored(page, key), null);
    assert.equal(await stored(page, `${key}:admin`), null);
    assert.equal(await page.evaluate(() => window.auth.impersonating), null);
    await other.waitForFunction(() => window.auth.session === null, null, { timeout: 10_000 });
    assert.equal(await other.evaluate(() => window.auth.impersonating), null);
    assert.deepEqual((await other.evaluate(() => window.events)).at(-1), ['SIGNED_OUT', null]);
    // A new page finds nothing to restore.
    const fresh = await openClient(context, { storageKey: key });
    assert.equal(await fresh.evaluate(() => window.auth.session), null);
    g.assertClean();
    await context.close();
  });
});
