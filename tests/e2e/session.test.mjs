// Keeping the customer signed in, across real tabs (pages of one browser context, on an origin other
// than the API's) running the optimised release package (/pkg/index.js) against the mock: exactly
// one refresh for N stale tabs, sign-out reaching every tab, a failed refresh keeping the session, storage kinds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MOCK, PAGES, launch, mockApi, guard, openClient, refreshGrant, uid } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const signIn = (page, clientId) =>
  page.evaluate((clientId) => window.auth.signIn({ email: 'alice@example.com', password: 'Passw0rd!', clientId }), clientId);

async function refreshCount(clientId) {
  const stats = await mockApi('/mock/stats');
  return stats.refreshByClientId?.[clientId] ?? 0;
}

test('10 stale tabs calling getAccessToken() at once make exactly one refresh', async () => {
  const context = await browser.newContext();
  const g = guard(context);
  const clientId = uid('tabs');
  const storageKey = uid('key');
  await mockApi('/mock/config', { clientId, accessTtlSeconds: 4 });
  const options = { storageKey, clientId, autoRefresh: false };
  const first = await openClient(context, options);
  const signedIn = await signIn(first, clientId);
  const pages = [first];
  for (let i = 1; i < 10; i++) pages.push(await openClient(context, options));
  for (const p of pages) {
    assert.equal(await p.evaluate(() => window.auth.session?.accessToken), signedIn.accessToken, 'every tab sees the session');
  }
  await new Promise((r) => setTimeout(r, 2600)); // past lifetime/2: every tab finds the token due
  const tokens = await Promise.all(pages.map((p) => p.evaluate(() => window.auth.getAccessToken())));
  assert.equal(await refreshCount(clientId), 1, 'exactly one /api/token refresh for ten tabs');
  assert.equal(new Set(tokens).size, 1, 'every tab got the same fresh token');
  assert.notEqual(tokens[0], signedIn.accessToken);
  g.assertClean();
  await context.close();
});

test('sign-out in one tab fires SIGNED_OUT in the others and clears their session', async () => {
  const context = await browser.newContext();
  const g = guard(context);
  const options = { storageKey: uid('key') };
  const a = await openClient(context, options);
  const b = await openClient(context, options);
  const c = await openClient(context, options);
  await signIn(a);
  await b.waitForFunction(() => window.auth.session !== null);
  assert.deepEqual(await b.evaluate(() => window.events.map((e) => e[0])), ['SIGNED_IN']);
  await a.evaluate(() => window.auth.signOut());
  assert.equal(await a.evaluate(() => window.auth.session), null, 'signOut is synchronous');
  for (const p of [b, c]) {
    await p.waitForFunction(() => window.events.some((e) => e[0] === 'SIGNED_OUT'));
    assert.equal(await p.evaluate(() => window.auth.session), null);
  }
  g.assertClean();
  await context.close();
});

test('a refresh in one tab reaches the others as TOKEN_REFRESHED', async () => {
  const context = await browser.newContext();
  const options = { storageKey: uid('key') };
  const a = await openClient(context, options);
  const b = await openClient(context, options);
  await signIn(a);
  const fresh = await a.evaluate(() => window.auth.refresh());
  await b.waitForFunction((t) => window.auth.session?.accessToken === t, fresh.accessToken);
  assert.ok((await b.evaluate(() => window.events.map((e) => e[0]))).includes('TOKEN_REFRESHED'));
  await context.close();
});

test('a refresh that meets a 500 keeps the stored session and succeeds on the next try', async () => {
  const context = await browser.newContext();
  const storageKey = uid('key');
  const page = await openClient(context, { storageKey });
  const first = await signIn(page);
  const stored = await page.evaluate((k) => localStorage.getItem(k), storageKey);
  await mockApi('/mock/faults', { kind: '500', path: '/api/token', count: 1 });
  const err = await page.evaluate(() => window.auth.refresh().then(() => null, (e) => ({ code: e.code, name: e.name, isError: e instanceof Error })));
  assert.deepEqual(err, { code: 'server', name: 'AuthError', isError: true });
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), storageKey), stored, 'stored session unchanged');
  assert.equal(await page.evaluate(() => window.auth.session.accessToken), first.accessToken);
  const second = await page.evaluate(() => window.auth.refresh());
  assert.notEqual(second.accessToken, first.accessToken);
  await context.close();
});

test("'memory' storage does not survive a reload, 'local' does", async () => {
  const context = await browser.newContext();
  for (const [storage, survives] of [['memory', false], ['local', true], ['session', true]]) {
    const options = { storage, storageKey: uid(storage) };
    const page = await openClient(context, options);
    await signIn(page);
    await page.reload();
    await page.evaluate(async (opts) => {
      const { NexudusAuth } = await import('/pkg/index.js');
      window.auth = await NexudusAuth.create(opts);
    }, { baseUrl: MOCK, ...options });
    assert.equal(await page.evaluate(() => window.auth.session !== null), survives, storage);
    await page.close();
  }
  await context.close();
});

test('a throwing custom adapter falls back to memory with a storage warning', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${PAGES}/blank.html`);
  const result = await page.evaluate(async (baseUrl) => {
    const { NexudusAuth, AuthError } = await import('/pkg/index.js');
    const boom = () => { throw new DOMException('quota', 'QuotaExceededError'); };
    const auth = await NexudusAuth.create({ baseUrl, storage: { getItem: boom, setItem: boom, removeItem: boom } });
    const warnings = [];
    auth.onWarning((w) => warnings.push({ code: w.code, isAuthError: w instanceof AuthError }));
    const s = await auth.signIn({ email: 'alice@example.com', password: 'Passw0rd!' });
    return { signedIn: auth.session?.accessToken === s.accessToken, token: (await auth.getAccessToken()) === s.accessToken, warnings };
  }, MOCK);
  assert.equal(result.signedIn, true);
  assert.equal(result.token, true);
  assert.deepEqual(result.warnings[0], { code: 'storage', isAuthError: true });
  await context.close();
});

test('the background timer refreshes a short-lived token before it expires', async () => {
  const context = await browser.newContext();
  const clientId = uid('timer');
  // 8 s token: the refresh is due 3.2-4 s after sign-in (half the lifetime, minus up to a tenth of
  // jitter), and the next one 3.2-4 s after that: room to count exactly one.
  await mockApi('/mock/config', { clientId, accessTtlSeconds: 8 });
  const page = await openClient(context, { storageKey: uid('key'), clientId });
  const first = await signIn(page, clientId);
  const next = await page.evaluate(() => window.auth.nextRefreshAt);
  assert.ok(next > Date.now() && next < first.expiresAt, 'a refresh is scheduled before expiry');
  await page.waitForFunction(() => window.events.some((e) => e[0] === 'TOKEN_REFRESHED'), null, { timeout: 15_000, polling: 50 });
  await page.evaluate(() => window.auth.dispose());
  assert.equal(await page.evaluate(() => window.auth.nextRefreshAt), null, 'dispose stops the timer');
  const now = await page.evaluate(() => window.auth.session);
  assert.notEqual(now.accessToken, first.accessToken);
  assert.equal(await refreshCount(clientId), 1, 'exactly one background refresh');
  assert.deepEqual(await page.evaluate(() => window.events.map((e) => e[0])), ['SIGNED_IN', 'TOKEN_REFRESHED']);
  await context.close();
});

test('every tab computes the same refresh point, whether it signed in or restored the session later', async () => {
  // 8-s tokens, 4-s leeway: the refresh point is expiresAt - min(4 s, lifetime / 2) = expiresAt - 4 s
  // for every tab. Tabs that restore the session 2 s after the sign-in must not cap the leeway at half
  // of what was left when they restored (3 s): at expiresAt - 3.5 s all three tabs find the token due,
  // make one refresh between them, and return the fresh token.
  const context = await browser.newContext();
  const g = guard(context);
  const clientId = uid('leeway');
  const options = { storageKey: uid('key'), clientId, autoRefresh: false, refreshLeewaySeconds: 4 };
  await mockApi('/mock/config', { clientId, accessTtlSeconds: 8 });
  const first = await openClient(context, options);
  const signedIn = await signIn(first, clientId);
  const at = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));
  await at(signedIn.expiresAt - 6000);
  const restored = [await openClient(context, options), await openClient(context, options)];
  for (const p of restored) {
    assert.equal(await p.evaluate(() => window.auth.session?.accessToken), signedIn.accessToken, 'restored from storage');
  }
  assert.ok(Date.now() < signedIn.expiresAt - 3700, 'the restored tabs were ready before the call');
  await at(signedIn.expiresAt - 3500);
  const pages = [first, ...restored];
  const tokens = await Promise.all(pages.map((p) => p.evaluate(() => window.auth.getAccessToken())));
  assert.equal(await refreshCount(clientId), 1, 'one refresh for the three tabs');
  assert.equal(new Set(tokens).size, 1, 'every tab returned the same token');
  assert.notEqual(tokens[0], signedIn.accessToken, 'and it is the refreshed one');
  g.assertClean();
  await context.close();
});

// This tab's session can be older than the stored one when another tab's message never reached it (an
// adapter has no `storage` event; a frozen tab misses BroadcastChannel messages). When both have expired,
// refresh() refreshes the stored copy (its refresh token is the live one) and must keep the answer:
// dropping it leaves every copy with a rotated-away refresh token, and the next refresh signs out.
test('a forced refresh of a fresher copy this tab never adopted keeps the rotation', async () => {
  const context = await browser.newContext();
  const g = guard(context);
  const clientId = uid('fresher');
  const storageKey = uid('key');
  await mockApi('/mock/config', { clientId, accessTtlSeconds: 2 });
  const page = await context.newPage();
  await page.goto(`${PAGES}/blank.html`);
  const mine = await page.evaluate(async (opts) => {
    const { NexudusAuth } = await import('/pkg/index.js');
    const map = (window.store = new Map());
    const storage = {
      getItem: async (k) => map.get(k) ?? null,
      setItem: async (k, v) => void map.set(k, v),
      removeItem: async (k) => void map.delete(k),
    };
    window.auth = await NexudusAuth.create({ ...opts, storage, autoRefresh: false });
    return window.auth.signIn({ email: 'alice@example.com', password: 'Passw0rd!', clientId: opts.clientId });
  }, { baseUrl: MOCK, storageKey, clientId });

  // "another tab" rotates the stored session and writes its copy, which this tab never hears of
  const stored = JSON.parse(await page.evaluate((k) => window.store.get(k), storageKey));
  const res = await refreshGrant(clientId, stored.refreshToken);
  assert.equal(res.status, 200, 'the other tab rotated');
  const grant = await res.json();
  const at = Date.now();
  const theirs = { ...stored, accessToken: grant.access_token, refreshToken: grant.refresh_token, receivedAt: at, expiresAt: at + grant.expires_in * 1000 };
  await page.evaluate(([k, v]) => window.store.set(k, v), [storageKey, JSON.stringify(theirs)]);
  await new Promise((r) => setTimeout(r, 2300)); // both copies expire

  const refreshed = await page.evaluate(() => window.auth.refresh());
  assert.ok(refreshed.expiresAt > Date.now(), 'refresh() resolves to a live session, not the expired one');
  assert.notEqual(refreshed.accessToken, mine.accessToken);
  assert.notEqual(refreshed.accessToken, theirs.accessToken);
  const kept = JSON.parse(await page.evaluate((k) => window.store.get(k), storageKey));
  assert.equal(kept.accessToken, refreshed.accessToken, 'the rotation is stored');
  const again = await page.evaluate(() => window.auth.refresh());
  assert.notEqual(again.accessToken, refreshed.accessToken, 'the stored refresh token is the live one');
  assert.equal(await page.evaluate(() => window.auth.session?.accessToken), again.accessToken, 'still signed in');
  g.assertClean();
  await mockApi('/mock/config', { clientId, accessTtlSeconds: null });
  await context.close();
});
