// Helpers shared by the reliability/security browser tests (faults, hostile, secrets, csp, load).
//
// openAuth(context, options) opens ${PAGES}/blank.html (an origin other than the API's), imports the
// release package /pkg/index.js and creates `window.auth` with `baseUrl: MOCK`. In the page:
//   window.API       the API origin (MOCK), which is also the portal
//   window.events    [[event, accessToken|null], …] from onChange
//   window.warnings  [{code, message}, …] from onWarning
//   window.unhandled reasons of `unhandledrejection` events
//   window.attempt(promise) → {ok:true, value} | {ok:true, response:{status, body}} | {ok:false, err}
//     where err = {isAuthError, isError, name, code, status, description, message, retryAfter,
//     resetToken, errors, str: String(e), json: JSON.stringify(e), stack}
// page.consoleAll is every console message of the page, {type, text}, in order.
import { MOCK, PAGES } from './lib.mjs';

export const PASSWORD = 'Passw0rd!';
export const ALICE = 'alice@example.com';

/** A unique id for storage keys and client ids, so tests never share state on the mock. */
export { uid } from './lib.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Records every console message of `page` into `page.consoleAll`. */
export function recordConsole(page) {
  page.consoleAll = [];
  page.on('console', (m) => page.consoleAll.push({ type: m.type(), text: m.text(), url: m.location()?.url ?? '' }));
  page.on('pageerror', (e) => page.consoleAll.push({ type: 'pageerror', text: String(e?.stack ?? e) }));
  return page.consoleAll;
}

/** Installs the page-side helpers (after /pkg/index.js is importable on this page). */
export async function installHelpers(page) {
  await page.evaluate(async (api) => {
    const mod = await import('/pkg/index.js');
    window.API = api;
    window.mod = mod;
    window.events = [];
    window.warnings = [];
    window.unhandled = [];
    addEventListener('unhandledrejection', (e) => window.unhandled.push(String(e.reason?.code ?? e.reason)));
    window.describeError = (e) => ({
      isAuthError: e instanceof mod.AuthError,
      isError: e instanceof Error,
      name: e?.name,
      code: e?.code,
      status: e?.status ?? null,
      description: e?.description ?? null,
      message: e?.message,
      retryAfter: e?.retryAfter,
      resetToken: e?.resetToken,
      errors: e?.errors,
      str: String(e),
      json: JSON.stringify(e),
      stack: String(e?.stack ?? ''),
    });
    window.attempt = async (p) => {
      try {
        const v = await p;
        if (v instanceof Response) return { ok: true, response: { status: v.status, body: (await v.text()).slice(0, 300) } };
        return { ok: true, value: v };
      } catch (e) {
        return { ok: false, err: window.describeError(e) };
      }
    };
  }, MOCK);
}

/** Opens a test page (PAGES) with `window.auth = await NexudusAuth.create({baseUrl: MOCK, ...options})`. */
export async function openAuth(context, options = {}, { before } = {}) {
  const page = await context.newPage();
  recordConsole(page);
  await page.goto(`${PAGES}/blank.html`);
  await installHelpers(page);
  if (before) await page.evaluate(before.fn, before.arg);
  await page.evaluate(async (opts) => {
    window.auth = await window.mod.NexudusAuth.create({ baseUrl: window.API, ...opts });
    window.auth.onChange((ev, s) => window.events.push([ev, s && s.accessToken]));
    window.auth.onWarning((w) => window.warnings.push({ code: w.code, message: w.message }));
  }, options);
  return page;
}

/** `auth.signIn` as alice (or `email`) in `page`; returns the attempt result. */
export const signIn = (page, extra = {}) =>
  page.evaluate((o) => window.attempt(window.auth.signIn(o)), { email: ALICE, password: PASSWORD, ...extra });

/** The raw stored value under `key` in the page's localStorage. */
export const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

/**
 * Every console line of `page` that says the wasm panicked: the hook's "nexudus-auth panicked" (debug and
 * stable builds) or the bare trap of the release package (panic=immediate-abort, scripts/build.sh).
 */
export const panics = (page) => page.consoleAll.filter((m) => /panicked|RuntimeError: unreachable/i.test(m.text));
