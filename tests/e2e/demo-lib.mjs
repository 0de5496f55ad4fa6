// Shared by the demo page tests (demo-signin.test.mjs, demo-session.test.mjs); not a test file itself
// (the runner only runs tests/e2e/*.test.mjs). installDemoHooks() gives each test file one browser, a
// mock reset before every test and a fresh context per test; `browser`, `ctx` and `g` are live bindings.
import { after, afterEach, before, beforeEach } from 'node:test';
import { ARTIFACTS, MOCK, PAGES, guard, launch, mockApi, resetMock } from './lib.mjs';

export const PASSWORD = 'Passw0rd!';
export const DESKTOP = { viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 };
export const MOBILE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
const T = 15_000; // per-step wait

/** Chromium logs every 4xx fetch as a console error; allow it for one API path + status. */
export const httpError = (status, path) =>
  new RegExp(`Failed to load resource: the server responded with a status of ${status}.*${path.replace(/[/?.]/g, '\\$&')}`);

// The demo-accounts panel polls the mock for the current 2FA code every few seconds; a poll that
// is in flight when a test navigates is aborted by the browser. That (and only that) is benign.
export const POLL_ABORTED = /requestfailed: GET \S+\/mock\/totp\/\S+ — net::ERR_ABORTED/;

export let browser;
export let ctx;
export let g;

/** Registers the file's hooks: one browser, resetMock() before each test, the test's context closed after it. */
export function installDemoHooks() {
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    await resetMock();
  });
  afterEach(async () => {
    await ctx?.close().catch(() => {});
    ctx = null;
  });

  process.on('exit', () => {
    // Make the screenshots easy to find in CI logs.
    if (process.exitCode === 0 || process.exitCode === undefined) console.log(`# screenshots: ${ARTIFACTS}/demo-*.png`);
  });
}

/** A fresh browser context (own localStorage), watched by guard(). */
export async function newContext(opts = DESKTOP) {
  ctx = await browser.newContext({ ...opts, locale: 'en-GB', timezoneId: 'Europe/Paris' });
  ctx.setDefaultTimeout(T);
  g = guard(ctx, { allow: [POLL_ABORTED] });
  return ctx;
}

/** Opens the demo page, served from PAGES (its API, the mock, is another origin). */
export async function openDemo(context = ctx, path = '/') {
  const page = await context.newPage();
  await page.goto(`${PAGES}${path}`);
  await page.locator('#view-loading').waitFor({ state: 'hidden' });
  return page;
}

export async function waitSignedIn(page, name) {
  await page.locator('#view-session').waitFor({ state: 'visible' });
  await page.locator('#profile-name', { hasText: name }).waitFor();
}

export async function waitSignedOut(page) {
  await page.locator('#view-signin').waitFor({ state: 'visible' });
  await page.locator('#view-session').waitFor({ state: 'hidden' });
}

export async function signInWithPassword(page, email, password = PASSWORD) {
  await page.locator('#signin-email').fill(email);
  await page.locator('#signin-password').fill(password);
  await page.locator('#signin-password').press('Enter');
}

export async function alertCode(page) {
  await page.locator('#alert[data-code]').waitFor();
  return page.locator('#alert').getAttribute('data-code');
}

/** The stored session (the library's storage format), read from the page's localStorage. */
export async function storedSession(page) {
  return page.evaluate(() => {
    const raw = localStorage.getItem('nexudus-auth');
    return raw ? JSON.parse(raw) : null;
  });
}

/**
 * The link of the newest outbox mail to `email`, on the demo's origin: the mock writes its own origin
 * (the API's) into the links it mails, where a real portal would write the portal's.
 */
export async function outboxLinkFor(email, subjectRe) {
  for (let i = 0; i < 50; i++) {
    const mails = await mockApi('/mock/outbox.json');
    const mail = mails.find((m) => m.to === email && (!subjectRe || subjectRe.test(m.subject ?? m.link)));
    if (mail) {
      const link = new URL(mail.link, MOCK);
      return new URL(`${link.pathname}${link.search}${link.hash}`, PAGES).href;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no outbox mail for ${email}`);
}
