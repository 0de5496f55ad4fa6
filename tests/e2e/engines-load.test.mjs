// The many-window load run, in whichever engine $E2E_ENGINE names (tests/e2e/engines/driver.mjs):
// PAGES windows of one browser share one session (storage 'local', one storageKey and clientId,
// autoRefresh on) whose access token lives 4 s, for SECONDS. Every window calls getAccessToken()
// every ~250 ms and checks the token is unexpired; one call in eight also goes through auth.fetch.
// Asserts no failure, no SIGNED_OUT, no session_expired, no refresh refused by the server, and about
// one refresh per refresh window for all windows together.
//
// Page counts a 2-core machine runs reliably (chosen by measurement, docs/ENGINES.md):
//   chromium 20, firefox 20, webkit 20   (override: ENGINE_LOAD_PAGES, ENGINE_LOAD_SECONDS [20])
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mockApi } from './lib.mjs';
import { ENGINE, launchEngine } from './engines/driver.mjs';
import { ALICE, PASSWORD, openAuth, problems, sleep, uid } from './engines/harness.mjs';

const DEFAULT_PAGES = { chromium: 20, firefox: 20, webkit: 20 };
const PAGES = Number(process.env.ENGINE_LOAD_PAGES ?? DEFAULT_PAGES[ENGINE] ?? 10);
const SECONDS = Number(process.env.ENGINE_LOAD_SECONDS ?? 20);
const TTL_S = 4;

let engine;
const clientId = uid('eload-client');
before(async () => {
  engine = await launchEngine();
  await mockApi('/mock/config', { clientId, accessTtlSeconds: TTL_S });
});
after(async () => {
  await mockApi('/mock/config', { clientId, accessTtlSeconds: null }).catch(() => {});
  await engine?.close();
});

test(`${ENGINE}: ${PAGES} windows share one session with a ${TTL_S} s token for ${SECONDS} s`, { timeout: (SECONDS + 240) * 1000 }, async () => {
  const options = { storageKey: uid('eload'), clientId, storage: 'local', autoRefresh: true };
  const t0 = Date.now();
  const first = await openAuth(engine, options);
  const signedIn = await first.evaluate((o) => window.attempt(window.auth.signIn(o)), { email: ALICE, password: PASSWORD, clientId });
  assert.ok(signedIn.ok, JSON.stringify(signedIn.err));
  const pages = [first];
  while (pages.length < PAGES) pages.push(await openAuth(engine, options));
  const openMs = Date.now() - t0;
  for (const p of pages) assert.ok(await p.evaluate(() => window.auth.session !== null), 'every window has the session');

  const statsBefore = await mockApi('/mock/stats');
  const refreshesBefore = statsBefore.refreshByClientId?.[clientId] ?? 0;
  const start = Date.now();
  const until = start + SECONDS * 1000;
  for (const [n, p] of pages.entries()) {
    await p.evaluate(({ until, n }) => {
      const exp = (t) => JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
      const L = (window.load = { calls: 0, fetches: 0, failures: [], signOuts: 0, expired: 0, done: false });
      window.auth.onChange((ev) => { if (ev === 'SIGNED_OUT') L.signOuts++; });
      (async () => {
        await new Promise((r) => setTimeout(r, Math.random() * 250)); // spread the windows
        for (let i = 0; Date.now() < until; i++) {
          try {
            const t = await window.auth.getAccessToken();
            L.calls++;
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
    }, { until, n });
  }
  await sleep(Math.max(0, until - Date.now()));
  for (const p of pages) await p.waitFor(() => window.load.done, null, { timeout: 30_000, polling: 200 });
  const duration = (Date.now() - start) / 1000;
  const refreshes = ((await mockApi('/mock/stats')).refreshByClientId?.[clientId] ?? 0) - refreshesBefore;
  const refused = ((await mockApi('/mock/stats')).failedRefresh ?? 0) - (statsBefore.failedRefresh ?? 0);
  const per = [];
  for (const p of pages) per.push(await p.evaluate(() => window.load));
  const sum = (k) => per.reduce((a, l) => a + (Array.isArray(l[k]) ? l[k].length : l[k]), 0);
  const totals = {
    engine: ENGINE, pages: pages.length, duration: Number(duration.toFixed(1)), refreshes, refused,
    getAccessTokenCalls: sum('calls'), fetches: sum('fetches'), failures: sum('failures'),
    signOuts: sum('signOuts'), sessionExpired: sum('expired'), openMs,
  };
  console.log(`engines-load[${ENGINE}]: ${JSON.stringify(totals)}`);
  const failures = per.flatMap((l, i) => l.failures.map((f) => `window ${i}: ${f}`));
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  assert.equal(totals.signOuts, 0, 'no SIGNED_OUT');
  assert.equal(totals.sessionExpired, 0, 'no session_expired');
  assert.equal(refused, 0, 'no refresh with a refresh token another window already rotated away');
  const bound = 1.5 * SECONDS / (TTL_S / 2) + 2;
  assert.ok(refreshes >= 1, 'the session was refreshed');
  assert.ok(refreshes <= bound, `about one refresh per window of time: ${refreshes} > ${bound}`);
  for (const l of per) assert.ok(l.calls >= SECONDS, `every window kept calling (${l.calls})`);
  for (const p of pages) assert.deepEqual(await problems(p), []);
  for (const p of pages) await p.close();
});
