// Load: LOAD_PAGES (default 50) pages of ONE browser context share one session (storage
// 'local', same storageKey and clientId, autoRefresh on) whose access token lives 10 s, for
// LOAD_SECONDS (default 30). Every page calls getAccessToken() every ~250 ms and checks the
// token is unexpired (its JWT `exp`); one call in eight also goes to the mock with auth.fetch
// and must answer 200. Asserts: no failure on any page, about one refresh per refresh window
// for all pages together (≤ 1.5 × duration / (lifetime / 2) + 2, ≥ 1), no SIGNED_OUT and no
// session_expired; every page kept calling to the end (at least one call per 3 s, the last one in the
// final 5 s). The refresh is due 4-5 s before expiry: that much time to finish it on a busy machine.
// Prints: pages, duration, refreshes, getAccessToken calls, failures, sign-outs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PAGES as PAGES_ORIGIN, guard, launch, mockApi } from './lib.mjs';
import { ALICE, PASSWORD, installHelpers, panics, recordConsole, sleep, uid } from './seclib.mjs';

const PAGES = Number(process.env.LOAD_PAGES ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const TTL_S = 10;

let browser;
let refused = null;
const clientId = uid('load-client');
before(async () => {
  browser = await launch();
  await mockApi('/mock/config', { clientId, accessTtlSeconds: TTL_S });
});
after(async () => {
  await mockApi('/mock/config', { clientId, accessTtlSeconds: null }).catch(() => {});
  await browser?.close();
});

async function openPage(context, options) {
  const page = await context.newPage();
  recordConsole(page);
  await page.goto(`${PAGES_ORIGIN}/blank.html`);
  await installHelpers(page);
  await page.evaluate(async (opts) => {
    window.auth = await window.mod.NexudusAuth.create({ baseUrl: window.API, ...opts });
    window.load = { calls: 0, lastCallAt: 0, fetches: 0, failures: [], signOuts: 0, expired: 0, refreshedEvents: 0, done: false };
    window.auth.onChange((ev) => {
      if (ev === 'SIGNED_OUT') window.load.signOuts++;
      if (ev === 'TOKEN_REFRESHED') window.load.refreshedEvents++;
    });
  }, options);
  return page;
}

test(`${PAGES} pages share one session with a ${TTL_S} s token for ${SECONDS} s`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const context = await browser.newContext();
  const g = guard(context);
  const options = { storageKey: uid('load'), clientId, storage: 'local', autoRefresh: true };
  const t0 = Date.now();
  const first = await openPage(context, options);
  const signedIn = await first.evaluate((o) => window.attempt(window.auth.signIn(o)), { email: ALICE, password: PASSWORD, clientId });
  assert.ok(signedIn.ok, JSON.stringify(signedIn.err));
  const pages = [first];
  while (pages.length < PAGES) {
    const batch = Math.min(10, PAGES - pages.length);
    pages.push(...(await Promise.all(Array.from({ length: batch }, () => openPage(context, options)))));
  }
  const openMs = Date.now() - t0;
  for (const p of pages) assert.ok(await p.evaluate(() => window.auth.session !== null), 'every page restored the session');

  const statsBefore = await mockApi('/mock/stats');
  const refreshesBefore = statsBefore.refreshByClientId?.[clientId] ?? 0;
  const start = Date.now();
  await Promise.all(pages.map((p, n) => p.evaluate(({ ms, n }) => {
    const until = Date.now() + ms;
    const exp = (t) => JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
    const L = window.load;
    (async () => {
      await new Promise((r) => setTimeout(r, Math.random() * 250)); // spread the pages
      for (let i = 0; Date.now() < until; i++) {
        try {
          const t = await window.auth.getAccessToken();
          L.calls++;
          L.lastCallAt = Date.now();
          if (exp(t) <= Date.now()) L.failures.push(`expired token (${Date.now() - exp(t)} ms past exp)`);
          if ((i + n) % 8 === 0) {
            const r = await window.auth.fetch('/api/public/billing/customer');
            L.fetches++;
            if (r.status !== 200) L.failures.push(`auth.fetch ${r.status}`);
            await r.text();
          }
        } catch (e) {
          L.failures.push(`${e?.code ?? e}: ${e?.message ?? ''}`);
          if (e?.code === 'session_expired') L.expired++;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      L.done = true;
    })();
  }, { ms: SECONDS * 1000, n })));
  await sleep(SECONDS * 1000);
  for (const p of pages) await p.waitForFunction(() => window.load.done, null, { timeout: 20_000, polling: 100 });
  const duration = (Date.now() - start) / 1000;
  const refreshes = ((await mockApi('/mock/stats')).refreshByClientId?.[clientId] ?? 0) - refreshesBefore;
  const per = await Promise.all(pages.map((p) => p.evaluate(() => window.load)));
  const sum = (k) => per.reduce((a, l) => a + (Array.isArray(l[k]) ? l[k].length : l[k]), 0);
  const totals = {
    pages: pages.length, duration: Number(duration.toFixed(1)), refreshes, getAccessTokenCalls: sum('calls'),
    fetches: sum('fetches'), failures: sum('failures'), signOuts: sum('signOuts'), sessionExpired: sum('expired'), openMs,
  };
  console.log(`load: ${JSON.stringify(totals)}`);
  const failures = per.flatMap((l, i) => l.failures.map((f) => `page ${i}: ${f}`));
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  assert.equal(totals.signOuts, 0, 'no SIGNED_OUT');
  assert.equal(totals.sessionExpired, 0, 'no session_expired');
  const bound = 1.5 * SECONDS / (TTL_S / 2) + 2;
  assert.ok(refreshes >= 1, 'the session was refreshed');
  assert.ok(refreshes <= bound, `about one refresh per window: ${refreshes} > ${bound}`);
  const until = start + SECONDS * 1000;
  for (const [i, l] of per.entries()) {
    assert.ok(l.calls >= SECONDS / 3, `page ${i} kept calling: ${l.calls} calls in ${SECONDS} s`);
    assert.ok(l.lastCallAt >= until - 5000, `page ${i} still called in the last 5 s (last ${until - l.lastCallAt} ms before the end)`);
  }
  refused = ((await mockApi('/mock/stats')).failedRefresh ?? 0) - (statsBefore.failedRefresh ?? 0);
  console.log(`load: refreshes refused by the server (duplicate with a rotated-away token): ${refused}`);
  assert.deepEqual(pages.flatMap(panics), []);
  g.assertClean();
  await context.close();
});

// Separate from the figures above: a duplicate refresh would be recovered (no sign-out), but a
// server with refresh-token reuse detection would revoke the whole family, so none is allowed.
test('no tab refreshes with a refresh token another tab already rotated away', () => {
  assert.notEqual(refused, null, 'the load test ran');
  assert.equal(refused, 0, `${refused} refresh(es) refused by the server`);
});
