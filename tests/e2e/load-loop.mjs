// The many-page load run shared by tests/e2e/load.test.mjs (Chromium pages through playwright-core) and
// tests/e2e/engines-load.test.mjs (any engine through tests/e2e/engines/driver.mjs): the loop each page
// runs, the totals over all pages and the checks both tests make. Not a test file (the runner only runs
// *.test.mjs).
//
// `initLoad` and `runLoad` run IN the page: both drivers send a function's source text
// (`fn.toString()`) and one JSON argument, so they use nothing from this module's scope.
import assert from 'node:assert/strict';

/**
 * Page side: `window.load`, the counters `runLoad` fills, and an onChange listener counting SIGNED_OUT
 * and TOKEN_REFRESHED from now on. Needs `window.auth`.
 */
export function initLoad() {
  window.load = { calls: 0, lastCallAt: 0, fetches: 0, failures: [], signOuts: 0, expired: 0, refreshedEvents: 0, done: false };
  window.auth.onChange((ev) => {
    if (ev === 'SIGNED_OUT') window.load.signOuts++;
    if (ev === 'TOKEN_REFRESHED') window.load.refreshedEvents++;
  });
}

/**
 * Page side: starts (and returns before it ends) the loop of page number `n`, until the epoch time
 * `until`, or for `ms` from now: after a random delay of up to 250 ms (to spread the pages),
 * getAccessToken() every ~250 ms, checking the token's JWT `exp` is in the future; one call in eight
 * (offset by `n`) also sends auth.fetch to a protected route, which must answer 200. Records into
 * `window.load` (initLoad): calls, lastCallAt, fetches, failures, expired (session_expired); done at
 * the end.
 */
export function runLoad({ n, until, ms }) {
  const end = until ?? Date.now() + ms;
  const exp = (t) => JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
  const L = window.load;
  (async () => {
    await new Promise((r) => setTimeout(r, Math.random() * 250)); // spread the pages
    for (let i = 0; Date.now() < end; i++) {
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
}

/** The counters of all pages (`per`: each page's `window.load`) added up. */
export function loadTotals(per) {
  const sum = (k) => per.reduce((a, l) => a + (Array.isArray(l[k]) ? l[k].length : l[k]), 0);
  return {
    getAccessTokenCalls: sum('calls'), fetches: sum('fetches'), failures: sum('failures'),
    signOuts: sum('signOuts'), sessionExpired: sum('expired'),
  };
}

/** No failure on any page (the first ten listed, each with `${noun} ${index}`), no SIGNED_OUT, no session_expired. */
export function assertNoFailures(per, noun) {
  const failures = per.flatMap((l, i) => l.failures.map((f) => `${noun} ${i}: ${f}`));
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  const totals = loadTotals(per);
  assert.equal(totals.signOuts, 0, 'no SIGNED_OUT');
  assert.equal(totals.sessionExpired, 0, 'no session_expired');
}

/**
 * At least one refresh, and about one per refresh window (half the token lifetime `ttlS`) for all
 * pages together over `seconds`: at most 1.5 × seconds / (ttlS / 2) + 2.
 */
export function assertRefreshRate(refreshes, seconds, ttlS) {
  const bound = 1.5 * seconds / (ttlS / 2) + 2;
  assert.ok(refreshes >= 1, 'the session was refreshed');
  assert.ok(refreshes <= bound, `about one refresh per refresh window: ${refreshes} > ${bound}`);
}
