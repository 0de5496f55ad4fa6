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
import { assertNoFailures, assertRefreshRate, initLoad, loadTotals, runLoad } from './load-loop.mjs';

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

  for (const p of pages) await p.evaluate(initLoad);
  const statsBefore = await mockApi('/mock/stats');
  const refreshesBefore = statsBefore.refreshByClientId?.[clientId] ?? 0;
  const start = Date.now();
  const until = start + SECONDS * 1000;
  for (const [n, p] of pages.entries()) await p.evaluate(runLoad, { until, n });
  await sleep(Math.max(0, until - Date.now()));
  for (const p of pages) await p.waitFor(() => window.load.done, null, { timeout: 30_000, polling: 200 });
  const duration = (Date.now() - start) / 1000;
  const refreshes = ((await mockApi('/mock/stats')).refreshByClientId?.[clientId] ?? 0) - refreshesBefore;
  const refused = ((await mockApi('/mock/stats')).failedRefresh ?? 0) - (statsBefore.failedRefresh ?? 0);
  const per = [];
  for (const p of pages) per.push(await p.evaluate(() => window.load));
  const totals = {
    engine: ENGINE, pages: pages.length, duration: Number(duration.toFixed(1)), refreshes, refused, ...loadTotals(per), openMs,
  };
  console.log(`engines-load[${ENGINE}]: ${JSON.stringify(totals)}`);
  assertNoFailures(per, 'window');
  assert.equal(refused, 0, 'no refresh with a refresh token another window already rotated away');
  assertRefreshRate(refreshes, SECONDS, TTL_S);
  for (const l of per) assert.ok(l.calls >= SECONDS, `every window kept calling (${l.calls})`);
  for (const p of pages) assert.deepEqual(await problems(p), []);
  for (const p of pages) await p.close();
});
