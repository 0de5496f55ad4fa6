// Shared helpers for the browser end-to-end tests (node:test + playwright-core).
//
// Every `tests/e2e/*.test.mjs` imports this file. It drives Debian's Chromium
// (never a downloaded browser) against a running mock server. The pages are NOT on the mock's origin:
// importing this file starts pages-server.mjs (www/ and the package, on a free port), so every API
// call is cross-origin, as in production (CORS preflights for `client_id`, exposed `Retry-After`):
//
//   NEXUDUS_MOCK_URL=http://127.0.0.1:18787 PKG_DIR=pkg node --test --test-concurrency=1 tests/e2e/
//
// Exports:
//   MOCK                      base URL of the mock: the API (baseUrl) and the portal
//   PAGES                     origin of the pages: www/ at / (the demo, blank.html), the package at /pkg/
//   setPage(path, page)       serve a page of the test's own ({body, type, headers}) from PAGES
//   ARTIFACTS                 absolute path of tests/e2e/artifacts (created on import)
//   launch(opts)              chromium.launch with safe headless flags
//   mockApi(path, body, m)    JSON call to the mock; throws on non-2xx
//   guard(page, opts)         records console errors, page errors, failed requests
//   totp(email)               the current TOTP code of a mock user
//   resetMock()               POST /mock/reset
//   shot(page, name)          screenshot to ARTIFACTS/<name>.png, returns the path
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { servePages } from './pages-server.mjs';

export { setPage } from './pages-server.mjs';

/** Base URL of the running mock server (no trailing slash): the API and the portal. */
export const MOCK = (process.env.NEXUDUS_MOCK_URL ?? 'http://127.0.0.1:18787').replace(/\/+$/, '');

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Origin of the test pages (www/ and /pkg/), never the API's: a static server of this process. */
export const PAGES = await servePages({
  api: new URL(MOCK).origin,
  www: join(REPO, 'www'),
  pkg: process.env.PKG_DIR ?? join(REPO, 'pkg'),
});
if (new URL(PAGES).origin === new URL(MOCK).origin) throw new Error('the pages must not share the API origin');

/** Absolute path of tests/e2e/artifacts (screenshots, traces). Gitignored. */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches headless Chromium (Debian's, or `$CHROMIUM`). `opts` are passed to
 * `chromium.launch` and override the defaults; `opts.args` are appended.
 */
/** A unique name (storage key, client id) so tests never share state. */
export const uid = (p) => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Opens a test page (PAGES) in `context` and creates `window.auth` with `options` against the API
 * (MOCK); its onChange events go to `window.events` as `[event, accessToken]`. */
export async function openClient(context, options) {
  const page = await context.newPage();
  await page.goto(`${PAGES}/blank.html`);
  await page.evaluate(async (opts) => {
    const { NexudusAuth } = await import('/pkg/index.js');
    window.events = [];
    window.auth = await NexudusAuth.create(opts);
    window.auth.onChange((event, session) => window.events.push([event, session && session.accessToken]));
  }, { baseUrl: MOCK, ...options });
  return page;
}

export async function launch(opts = {}) {
  const { args = [], ...rest } = opts;
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    ...rest,
  });
}

/**
 * Calls the mock: `mockApi('/mock/users')` (GET), `mockApi('/mock/reset', {})` (POST JSON),
 * `mockApi('/mock/faults', undefined, 'DELETE')`. Returns parsed JSON, text, or null (empty body).
 * Throws an Error carrying `status` and `body` on a non-2xx answer.
 */
export async function mockApi(path, body, method) {
  const m = method ?? (body === undefined ? 'GET' : 'POST');
  const init = { method: m, headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(`${MOCK}${path}`, init);
  const text = await res.text();
  let parsed = text;
  if (text === '') parsed = null;
  else if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const err = new Error(`mock ${m} ${path} -> HTTP ${res.status}: ${text.slice(0, 300)}`);
    err.status = res.status;
    err.body = parsed;
    throw err;
  }
  return parsed;
}

/** Sends a refresh grant to the mock's `/api/token` from outside any page (what another tab, or the
 * server side, does with `refreshToken`); returns the fetch Response. */
export async function refreshGrant(clientId, refreshToken) {
  return fetch(`${MOCK}/api/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', client_id: clientId },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
}

/** Resets the mock (counters, faults, tokens, outbox, users). */
export async function resetMock() {
  return mockApi('/mock/reset', {});
}

/** Current 6-digit TOTP code for a mock user (bob@example.com). */
export async function totp(email) {
  const r = await mockApi(`/mock/totp/${encodeURIComponent(email)}`);
  const code = typeof r === 'string' ? r : r?.code;
  if (!/^\d{6}$/.test(String(code))) throw new Error(`mock returned no TOTP code for ${email}: ${JSON.stringify(r)}`);
  return String(code);
}

/** Saves a full-page screenshot as ARTIFACTS/<name>.png and returns its path. */
export async function shot(page, name, opts = {}) {
  const path = join(ARTIFACTS, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', ...opts });
  return path;
}

/**
 * Watches a page (or a whole BrowserContext, including pages opened later) for problems:
 * console errors, uncaught exceptions / unhandled rejections (`pageerror`), and failed
 * requests (`requestfailed`: connection errors, aborts). HTTP error statuses are not failures
 * by themselves, but Chromium logs "Failed to load resource: … status of 400" as a console
 * error; pass a RegExp in `allow` for the ones a test provokes on purpose.
 *
 * Returns `{ problems, assertClean(allow?) }`. `problems` is a live array of strings.
 * `assertClean(allow)` throws when a problem matches none of `allow` (plus `opts.allow`).
 */
export function guard(target, opts = {}) {
  const problems = [];
  const baseAllow = opts.allow ?? [];
  const watched = new WeakSet();

  const watchPage = (page) => {
    if (watched.has(page)) return;
    watched.add(page);
    const where = () => {
      try {
        return page.url();
      } catch {
        return '?';
      }
    };
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location();
      const at = loc?.url ? ` (${loc.url}${loc.lineNumber ? `:${loc.lineNumber}` : ''})` : '';
      problems.push(`console.error: ${msg.text()}${at}`);
    });
    page.on('pageerror', (err) => {
      problems.push(`pageerror: ${err?.name ?? 'Error'}: ${err?.message ?? err} @ ${where()}`);
    });
    page.on('requestfailed', (req) => {
      problems.push(`requestfailed: ${req.method()} ${req.url()} — ${req.failure()?.errorText ?? 'failed'}`);
    });
    page.on('crash', () => problems.push(`crash: page crashed @ ${where()}`));
    // Unhandled promise rejections arrive as `pageerror` ("Uncaught (in promise)") in Chromium.
  };

  const isContext = typeof target.pages === 'function' && typeof target.newPage === 'function';
  if (isContext) {
    for (const p of target.pages()) watchPage(p);
    target.on('page', watchPage);
  } else {
    watchPage(target);
  }

  return {
    problems,
    assertClean(allow = []) {
      const rules = [...baseAllow, ...allow];
      const bad = problems.filter((p) => !rules.some((re) => re.test(p)));
      if (bad.length) {
        throw new Error(`browser reported ${bad.length} problem(s):\n  - ${bad.join('\n  - ')}`);
      }
    },
  };
}
