// Page-side helpers for the engine-neutral tests (tests/e2e/multitab.test.mjs, engines-load.test.mjs):
// every helper talks to a page only through `page.evaluate` / `page.waitFor` of
// tests/e2e/engines/driver.mjs, so the same code runs in Chromium, Firefox and WebKit.
//
// In a page prepared by `openAuth` (blank.html on the mock's origin, the release package loaded):
//   window.mod       the module /pkg/index.js
//   window.auth      NexudusAuth.create({ baseUrl: location.origin, ...options })
//   window.events    [[event, accessToken|null], …] from onChange
//   window.warnings  [{code, message}, …] from onWarning
//   window.problems  uncaught errors and unhandled rejections of the page, as strings
//   window.attempt(p) → {ok:true, value} | {ok:false, err:{code, name, isAuthError, isError, status, message}}
import { MOCK, mockApi } from '../lib.mjs';

export const ALICE = 'alice@example.com';
export const PASSWORD = 'Passw0rd!';

/** A unique id for storage keys and client ids, so tests never share state on the mock. */
export const uid = (p) => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Loads /pkg/index.js into the page through a module <script> of the page (PAGE_HELPERS below),
 * which also installs the helpers listed at the top of this file.
 */
export async function loadPackage(page) {
  await page.evaluate((src) => new Promise((resolve, reject) => {
    if (window.mod) return resolve(true);
    window.__loaded = () => resolve(true);
    const s = document.createElement('script');
    s.type = 'module';
    s.textContent = src;
    s.onerror = () => reject(new Error('the module script did not load'));
    document.head.append(s);
    setTimeout(() => reject(new Error('/pkg/index.js did not load in 20 s')), 20_000);
  }), PAGE_HELPERS);
}

// The helpers are defined by a module script of the page itself, not by the driver's script: some
// drivers (geckodriver) run scripts in a sandbox with its own `Error`, so `instanceof` checks and
// `window.attempt` must live in the page's realm.
const PAGE_HELPERS = `import * as m from '/pkg/index.js';
window.mod = m;
window.problems = [];
addEventListener('error', (e) => window.problems.push('error: ' + e.message));
addEventListener('unhandledrejection', (e) => window.problems.push('unhandledrejection: ' + (e.reason?.code ?? e.reason)));
window.events = [];
window.warnings = [];
window.describeError = (e) => ({ code: e?.code, name: e?.name, isAuthError: e instanceof m.AuthError, isError: e instanceof Error,
  status: e?.status ?? null, message: String(e?.message ?? e) });
window.attempt = async (p) => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, err: window.describeError(e) };
  }
};
window.__loaded();`;

/** Creates `window.auth` in a page that has the package, recording events and warnings. */
export async function createAuth(page, options) {
  await page.evaluate(async (opts) => {
    window.auth = await window.mod.NexudusAuth.create({ baseUrl: location.origin, ...opts });
    window.auth.onChange((ev, s) => window.events.push([ev, s && s.accessToken]));
    window.auth.onWarning((w) => window.warnings.push({ code: w.code, message: w.message }));
  }, options);
}

/** Opens a window on ${MOCK}/blank.html with the package and `window.auth` created from `options`. */
export async function openAuth(engine, options) {
  const page = await engine.open(`${MOCK}/blank.html`);
  await loadPackage(page);
  await createAuth(page, options);
  return page;
}

/** `auth.signIn` as alice in `page`; the attempt result. */
export const signIn = (page, extra = {}) =>
  page.evaluate((o) => window.attempt(window.auth.signIn(o)), { email: ALICE, password: PASSWORD, ...extra });

/** The raw value under `key` in the page's localStorage. */
export const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

/** The page's current access token (null when signed out). */
export const token = (page) => page.evaluate(() => window.auth.session?.accessToken ?? null);

/** The event names the page has seen. */
export const eventNames = (page) => page.evaluate(() => window.events.map((e) => e[0]));

/** How many refresh grants the mock served for `clientId`. */
export async function refreshCount(clientId) {
  return (await mockApi('/mock/stats')).refreshByClientId?.[clientId] ?? 0;
}

/** Uncaught errors / unhandled rejections the page recorded. */
export const problems = (page) => page.evaluate(() => window.problems ?? []);
