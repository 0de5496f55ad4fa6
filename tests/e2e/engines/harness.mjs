// Page-side helpers for the engine-neutral tests (tests/e2e/multitab.test.mjs, engines-load.test.mjs,
// api-signin.test.mjs, api-failures.test.mjs, api-rebilly.test.mjs):
// every helper talks to a page only through `page.evaluate` / `page.waitFor` of
// tests/e2e/engines/driver.mjs, so the same code runs in Chromium, Firefox and WebKit.
//
// In a page prepared by `openAuth` (blank.html on the mock's origin, the release package loaded):
//   window.mod       the module /pkg/index.js
//   window.auth      NexudusAuth.create({ baseUrl: location.origin, ...options })
//   window.events    [[event, accessToken|null], …] from onChange
//   window.warnings  [{code, message}, …] from onWarning
//   window.problems  uncaught errors and unhandled rejections of the page, as strings
//   window.attempt(p) → {ok:true, value} | {ok:false, err:{code, name, isAuthError, isError, status, message,
//                       description, resetToken, errors, retryAfter}}
//
// `openApiPage` (tests/e2e/api-*.test.mjs) opens blank.html on the pages' origin instead (PAGES: every call
// to the API is cross-origin, as in production) and adds API_HELPERS below.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MOCK, PAGES, mockApi } from '../lib.mjs';
import { ENGINE, launchEngine } from './driver.mjs';

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
  await pageModule(page, PAGE_HELPERS, 'mod');
}

/**
 * Runs `src` as a module script of the page (its realm, not the driver's), which must call
 * `window.__loaded()` when done; skipped when the page already has `window[name]`.
 */
async function pageModule(page, src, name) {
  await page.evaluate(([src, name]) => new Promise((resolve, reject) => {
    if (window[name]) return resolve(true);
    window.__loaded = () => resolve(true);
    const s = document.createElement('script');
    s.type = 'module';
    s.textContent = src;
    s.onerror = () => reject(new Error('the module script did not load'));
    document.head.append(s);
    setTimeout(() => reject(new Error('the module script did not finish in 20 s')), 20_000);
  }), [src, name]);
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
  status: e?.status ?? null, message: String(e?.message ?? e), description: e?.description ?? null,
  resetToken: e?.resetToken ?? null, errors: e?.errors ?? null, retryAfter: e?.retryAfter ?? null });
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

// ---- The public API driven call by call (tests/e2e/api-*.test.mjs) ----

// Page-realm helpers of openApiPage; the storage adapters and fetch hooks are those the Rust browser
// tests used (tests/web_*.rs). The hooks go through FETCH_HOOK, a wrapper of `window.fetch` installed
// before the package is imported, so they also see a package that keeps its own reference to `fetch`.
//   window.newClient(name, options)   clients[name] = create({baseUrl: API, storage: 'memory', storageKey:
//                                     <unique>, ...options}); options.storage may be {adapter: 'throwing'} or
//                                     {adapter: 'async', map: <name of a Map in window.maps>}; its events go to
//                                     logs[name].events as [event, accessToken], its warnings to .warnings
//   window.call(name, method, ...args) attempt(clients[name][method](...args))
//   window.fetchHook(send, input, init) when set, answers every fetch of the page instead (`send` = the real one)
//   window.sendNextTokenCallAsJson()   re-encodes the next /api/token request's form fields as a JSON body
//   window.recordAnswers(path)         {answers: [[status, body]…], stop()} of every answer from `path`
const FETCH_HOOK = `const send = window.fetch.bind(window);
window.fetchHook = null;
window.fetch = (input, init) => (window.fetchHook ? window.fetchHook(send, input, init) : send(input, init));
window.fetchHooked = true;
window.__loaded();`;
const API_HELPERS = (api) => `
window.API = ${JSON.stringify(api)};
window.clients = {};
window.logs = {};
window.maps = {};
const adapters = {
  throwing: () => ({
    getItem() { throw new Error('SecurityError: storage disabled'); },
    setItem() { throw new DOMException('quota', 'QuotaExceededError'); },
    removeItem() { throw new Error('nope'); },
  }),
  async: (map) => ({
    getItem: async (k) => map.has(k) ? map.get(k) : null,
    setItem: async (k, v) => { map.set(k, v); },
    removeItem: async (k) => { map.delete(k); },
  }),
};
window.newClient = async (name, options) => {
  const o = { baseUrl: window.API, storage: 'memory', storageKey: 'test-' + Math.random().toString(36).slice(2), ...options };
  if (o.storage?.adapter === 'async') o.storage = adapters.async(window.maps[o.storage.map] ??= new Map());
  else if (o.storage?.adapter) o.storage = adapters[o.storage.adapter]();
  const r = await window.attempt(window.mod.NexudusAuth.create(o));
  if (!r.ok) return r;
  const log = window.logs[name] = { events: [], warnings: [] };
  window.clients[name] = r.value;
  r.value.onChange((event, s) => log.events.push([event, s && s.accessToken]));
  r.value.onWarning((w) => log.warnings.push(window.describeError(w)));
  return { ok: true, storageKey: o.storageKey };
};
window.call = (name, method, ...args) => window.attempt((async () => window.clients[name][method](...args))());
window.sendNextTokenCallAsJson = () => {
  window.fetchHook = async (send, input, init) => {
    const req = new Request(input, init);
    if (new URL(req.url).pathname !== '/api/token') return send(req);
    window.fetchHook = null;
    const fields = Object.fromEntries(new URLSearchParams(await req.text()));
    const headers = new Headers(req.headers);
    headers.set('content-type', 'application/json');
    const body = JSON.stringify(fields);
    return send(new Request(req.url, { method: req.method, headers, body, signal: req.signal }));
  };
};
window.recordAnswers = (path) => {
  const answers = [];
  window.fetchHook = async (send, input, init) => {
    const res = await send(input, init);
    if (new URL(res.url).pathname === path) answers.push([res.status, await res.clone().text()]);
    return res;
  };
  return { answers, stop() { window.fetchHook = null; } };
};
window.__loaded();`;

/** Opens ${PAGES}/blank.html (not the API's origin) with FETCH_HOOK, the package, PAGE_HELPERS and API_HELPERS. */
export async function openApiPage(engine) {
  const page = await engine.open(`${PAGES}/blank.html`);
  await pageModule(page, FETCH_HOOK, 'fetchHooked');
  await loadPackage(page);
  await pageModule(page, API_HELPERS(MOCK), 'clients');
  return page;
}

/** `window.newClient(name, options)` in `page`: {ok, storageKey} | {ok: false, err}. */
export const newClient = (page, name, options = {}) =>
  page.evaluate(([n, o]) => window.newClient(n, o), [name, options]);

/** `clients[name][method](...args)` in `page`, as an attempt: {ok, value} | {ok: false, err}. */
export const call = (page, name, method, ...args) =>
  page.evaluate(([n, m, a]) => window.call(n, m, ...a), [name, method, args]);

/** `test` for the api-* files: one engine per file, a fresh window per test, no uncaught page error. */
export function apiSuite() {
  let engine;
  before(async () => { engine = await launchEngine(); });
  after(async () => { await engine?.close(); });
  return (name, body) => test(`${ENGINE}: ${name}`, { timeout: 60_000 }, async () => {
    const page = await openApiPage(engine);
    try {
      await body(page);
      assert.deepEqual(await problems(page), [], 'no uncaught error or unhandled rejection in the page');
    } finally {
      await page.close();
    }
  });
}

/** `{email, password[, totp]}`. */
export const creds = (email, password = PASSWORD, totp) => ({ email, password, ...(totp ? { totp } : {}) });

/** The value of a successful attempt. */
export function ok(r, what = 'call') {
  assert.equal(r.ok, true, `${what} succeeds: ${JSON.stringify(r.err)}`);
  return r.value;
}

/** The error of a failed attempt, after checking it is a real AuthError with `code` (Rust's code_of). */
export function rejects(r, code, what = 'call') {
  assert.equal(r.ok, false, `${what} fails with ${code}, got ${JSON.stringify(r.value)}`);
  const { isAuthError, isError, name } = r.err;
  assert.deepEqual({ isAuthError, isError, name }, { isAuthError: true, isError: true, name: 'AuthError' }, `${what}: an AuthError`);
  assert.equal(r.err.code, code, `${what}: ${r.err.message}`);
  return r.err;
}

/** `window.newClient` that must succeed; resolves with its storageKey. */
export async function client(page, name, options) {
  const r = await newClient(page, name, options);
  assert.equal(r.ok, true, `create ${name}: ${JSON.stringify(r.err)}`);
  return r.storageKey;
}

/** clients[name].session in `page` (the string 'undefined' if it were undefined: a driver would give null). */
export const sessionOf = (page, name) =>
  page.evaluate((n) => (window.clients[n].session === undefined ? 'undefined' : window.clients[n].session), name);

/** The last request the mock logged with the `client_id` header `clientId`. */
export async function lastRequestOf(clientId) {
  const mine = (await mockApi('/mock/requests')).filter((e) => e.clientId === clientId);
  assert.ok(mine.length, `a request reached the mock with client_id ${clientId}`);
  return mine.at(-1);
}
