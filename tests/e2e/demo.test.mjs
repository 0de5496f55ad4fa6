// End-to-end test of the demo sign-in page (www/) in real Chromium against the mock server.
//
//   NEXUDUS_MOCK_URL=http://127.0.0.1:18787 node --test --test-concurrency=1 tests/e2e/
//
// Every flow a person can take on the page is walked with clicks and keys. Any console error,
// uncaught exception or failed request fails the test (guard()); the only console errors allowed
// are Chromium's own "Failed to load resource: … status of 400" lines for the requests a test
// provokes on purpose (wrong password, 2FA step, must-reset, weak password).
// Screenshots for reviewers land in tests/e2e/artifacts/demo-*.png.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { ARTIFACTS, MOCK, guard, launch, mockApi, resetMock, shot, totp } from './lib.mjs';

const PASSWORD = 'Passw0rd!';
const DESKTOP = { viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 };
const MOBILE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
const T = 15_000; // per-step wait

/** Chromium logs every 4xx fetch as a console error; allow it for one API path + status. */
const httpError = (status, path) =>
  new RegExp(`Failed to load resource: the server responded with a status of ${status}.*${path.replace(/[/?.]/g, '\\$&')}`);

// The demo-accounts panel polls the mock for the current 2FA code every few seconds; a poll that
// is in flight when a test navigates is aborted by the browser. That (and only that) is benign.
const POLL_ABORTED = /requestfailed: GET \S+\/mock\/totp\/\S+ — net::ERR_ABORTED/;

let browser;
let ctx;
let g;

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

/** A fresh browser context (own localStorage), watched by guard(). */
async function newContext(opts = DESKTOP) {
  ctx = await browser.newContext({ ...opts, locale: 'en-GB', timezoneId: 'Europe/Paris' });
  ctx.setDefaultTimeout(T);
  g = guard(ctx, { allow: [POLL_ABORTED] });
  return ctx;
}

async function openDemo(context = ctx, path = '/') {
  const page = await context.newPage();
  await page.goto(`${MOCK}${path}`);
  await page.locator('#view-loading').waitFor({ state: 'hidden' });
  return page;
}

async function waitSignedIn(page, name) {
  await page.locator('#view-session').waitFor({ state: 'visible' });
  await page.locator('#profile-name', { hasText: name }).waitFor();
}

async function waitSignedOut(page) {
  await page.locator('#view-signin').waitFor({ state: 'visible' });
  await page.locator('#view-session').waitFor({ state: 'hidden' });
}

async function signInWithPassword(page, email, password = PASSWORD) {
  await page.locator('#signin-email').fill(email);
  await page.locator('#signin-password').fill(password);
  await page.locator('#signin-password').press('Enter');
}

async function alertCode(page) {
  await page.locator('#alert[data-code]').waitFor();
  return page.locator('#alert').getAttribute('data-code');
}

/** The stored session (the library's storage format), read from the page's localStorage. */
async function storedSession(page) {
  return page.evaluate(() => {
    const raw = localStorage.getItem('nexudus-auth');
    return raw ? JSON.parse(raw) : null;
  });
}

async function outboxLinkFor(email, subjectRe) {
  for (let i = 0; i < 50; i++) {
    const mails = await mockApi('/mock/outbox.json');
    const mail = mails.find((m) => m.to === email && (!subjectRe || subjectRe.test(m.subject ?? m.link)));
    if (mail) return new URL(mail.link, MOCK).href;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no outbox mail for ${email}`);
}

describe('demo sign-in page', () => {
  test('loads under its strict CSP, preloads the wasm, and has labels for every input (desktop + 375 px)', async () => {
    await newContext(DESKTOP);
    const page = await openDemo();
    await page.locator('#view-signin').waitFor({ state: 'visible' });
    await page.locator('#demo-users .user').first().waitFor();

    const head = await page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
      modulepreload: [...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.getAttribute('href')),
      preload: [...document.querySelectorAll('link[rel="preload"]')].map((l) => [l.getAttribute('href'), l.getAttribute('as'), l.hasAttribute('crossorigin')]),
      inlineScripts: [...document.scripts].filter((s) => !s.src).length,
      inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      styleAttrs: document.querySelectorAll('[style]').length,
      external: [...document.querySelectorAll('[src],[href]')]
        .map((el) => el.getAttribute('src') ?? el.getAttribute('href'))
        .filter((u) => /^(https?:)?\/\//.test(u)),
      unlabelled: [...document.querySelectorAll('input:not([type=hidden])')]
        .filter((i) => !i.labels?.length && !i.getAttribute('aria-label'))
        .map((i) => i.id),
      wasmFetched: performance.getEntriesByType('resource').some((e) => e.name.endsWith('/pkg/nexudus_auth_bg.wasm')),
    }));
    assert.match(head.csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(head.csp, /unsafe-inline/);
    assert.ok(head.modulepreload.includes('/pkg/index.js'), 'modulepreload of /pkg/index.js');
    assert.deepEqual(head.preload, [['/pkg/nexudus_auth_bg.wasm', 'fetch', true]]);
    assert.equal(head.inlineScripts, 0, 'no inline scripts');
    assert.equal(head.inlineHandlers, 0, 'no inline event handlers');
    assert.equal(head.styleAttrs, 0, 'no style attributes');
    assert.deepEqual(head.external, [], 'no external resources');
    assert.deepEqual(head.unlabelled, [], 'every input has a label');
    assert.ok(head.wasmFetched, 'the wasm was fetched');

    // Keyboard: the first Tab shows the skip link, then the form is reachable in order.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    await shot(page, 'demo-desktop-signin');

    const mobile = await browser.newContext({ ...MOBILE, locale: 'en-GB' });
    const mg = guard(mobile, { allow: [POLL_ABORTED] });
    try {
      const m = await openDemo(mobile);
      await m.locator('#view-signin').waitFor({ state: 'visible' });
      await m.locator('#demo-users .user').first().waitFor();
      const overflow = await m.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (overflow ${overflow}px)`);
      await shot(m, 'demo-mobile-375-signin');
      mg.assertClean();
    } finally {
      await mobile.close();
    }
    g.assertClean();
  });

  test('password sign-in (alice) with the keyboard shows the session panel, never the whole token', async () => {
    await newContext(DESKTOP);
    const page = await openDemo();
    await page.locator('#signin-email').focus();
    await page.keyboard.type('alice@example.com');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-password', 'Tab goes from email to password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await waitSignedIn(page, 'Alice Martin');

    await page.locator('#profile-email', { hasText: 'alice@example.com' }).waitFor();
    assert.equal((await page.locator('#fact-type').textContent()).trim(), 'Bearer');
    await page.locator('#event-log [data-event="SIGNED_IN"]').first().waitFor();
    assert.match(await page.locator('#fact-expires').textContent(), /^\d+:\d\d(:\d\d)?$|days/);

    const stored = await storedSession(page);
    assert.ok(stored?.accessToken, 'the library stored the session');
    const html = await page.content();
    assert.ok(!html.includes(stored.accessToken), 'the full access token is not in the page');
    assert.ok(!html.includes(stored.refreshToken), 'the refresh token is not in the page');
    const shown = await page.locator('#fact-token').textContent();
    assert.ok(shown.length < 20 && stored.accessToken.startsWith(shown.replace(/•+$/, '')), `masked token shown: ${shown}`);

    await shot(page, 'demo-desktop-session');

    // Sign out is immediate, and a reload stays signed out.
    await page.locator('#sign-out').click();
    await waitSignedOut(page);
    assert.equal(await storedSession(page), null);
    await page.locator('#status', { hasText: /signed out/i }).waitFor();
    await page.reload();
    await page.locator('#view-signin').waitFor({ state: 'visible' });
    g.assertClean();
  });

  test('mobile 375 px: sign in (alice) from the demo accounts panel and see the session', async () => {
    await newContext(MOBILE);
    const page = await openDemo();
    await page.locator('#demo-users [data-email="alice@example.com"]').tap();
    assert.equal(await page.locator('#signin-email').inputValue(), 'alice@example.com');
    assert.equal(await page.locator('#signin-password').inputValue(), PASSWORD);
    await page.locator('#signin-submit').tap();
    await waitSignedIn(page, 'Alice Martin');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 375 px (overflow ${overflow}px)`);
    await shot(page, 'demo-mobile-375-session');
    g.assertClean();
  });

  test('wrong password shows the invalid_credentials message', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'alice@example.com', 'not-the-password');
    assert.equal(await alertCode(page), 'invalid_credentials');
    assert.match(await page.locator('#alert').textContent(), /email and password don’t match/);
    assert.equal(await page.locator('#signin-password').getAttribute('aria-invalid'), 'true');
    await page.locator('#view-signin').waitFor({ state: 'visible' });

    // The suspended account gets its own words.
    await signInWithPassword(page, 'dave@example.com');
    await page.locator('#alert', { hasText: /suspended/i }).waitFor();
    assert.equal(await alertCode(page), 'invalid_credentials');
    g.assertClean([httpError(400, '/api/token')]);
  });

  test('two-step sign-in (bob): password, then the code from the authenticator', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'bob@example.com');
    await page.locator('#view-totp').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#totp-code').getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'totp-code');
    await page.locator('#status', { hasText: /authenticator/ }).waitFor();
    await shot(page, 'demo-2fa');

    // A wrong code keeps the step open with a clear message.
    const good = await totp('bob@example.com');
    const wrong = String((Number(good) + 500000) % 1000000).padStart(6, '0');
    await page.locator('#totp-code').fill(wrong);
    await page.locator('#totp-code').press('Enter');
    await page.locator('#alert', { hasText: /code didn’t work/ }).waitFor();
    await page.locator('#view-totp').waitFor({ state: 'visible' });

    await page.locator('#totp-code').fill(await totp('bob@example.com'));
    await page.locator('#totp-code').press('Enter');
    await waitSignedIn(page, 'Bob');
    await page.locator('#profile-email', { hasText: 'bob@example.com' }).waitFor();
    g.assertClean([httpError(400, '/api/token')]);
  });

  test('must-reset sign-in (carol): reset form pre-filled, weak password shows the policy, strong one signs in', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'carol@example.com');
    await page.locator('#view-reset').waitFor({ state: 'visible' });
    assert.equal(await alertCode(page), 'password_reset_required');
    assert.equal(await page.locator('#reset-email').inputValue(), 'carol@example.com');
    const token = await page.locator('#reset-token').inputValue();
    assert.ok(token.length > 8, 'the reset token from the error is filled in');
    assert.ok(!(await page.locator('#alert').textContent()).includes(token), 'the reset token is not shown in the message');

    await page.locator('#reset-password').fill('weak');
    await page.locator('#reset-confirm').fill('weak');
    await page.locator('#reset-confirm').press('Enter');
    await page.locator('#reset-errors li').first().waitFor();
    assert.equal(await alertCode(page), 'password_policy');
    const errors = await page.locator('#reset-errors li').allTextContents();
    assert.ok(errors.length >= 1 && errors.every((e) => e.trim().length > 0), `policy errors listed: ${errors}`);
    await shot(page, 'demo-reset');

    // Mismatched confirmation is caught before any request.
    await page.locator('#reset-password').fill('Stronger9pass');
    await page.locator('#reset-confirm').fill('Stronger9pasz');
    await page.locator('#reset-submit').click();
    await page.locator('#reset-confirm-error', { hasText: /don’t match/ }).waitFor();

    await page.locator('#reset-confirm').fill('Stronger9pass');
    await page.locator('#reset-submit').click();
    await waitSignedIn(page, 'Carol');
    g.assertClean([httpError(400, '/api/token'), httpError(400, '/api/sys/users/completePasswordReset')]);
  });

  test('forgot password via the outbox: email link opens the reset form, new password signs in', async () => {
    await newContext();
    const page = await openDemo();
    await page.locator('#signin-email').fill('alice@example.com');
    await page.locator('#forgot-link').click();
    assert.equal(await page.locator('#forgot-email').inputValue(), 'alice@example.com');
    await page.locator('#forgot-submit').click();
    await page.locator('#view-sent').waitFor({ state: 'visible' });
    assert.match(await page.locator('#sent-text').textContent(), /alice@example\.com/);

    const link = await outboxLinkFor('alice@example.com', /reset/i);
    assert.match(link, /[?&]resetToken=/);
    await page.goto(link);
    await page.locator('#view-reset').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#reset-email').inputValue(), 'alice@example.com');
    assert.ok((await page.locator('#reset-token').inputValue()).length > 8);
    assert.ok(!new URL(page.url()).searchParams.has('resetToken'), 'reset token removed from the address bar');

    await page.locator('#reset-password').fill('BrandNew42x');
    await page.locator('#reset-confirm').fill('BrandNew42x');
    await page.locator('#reset-confirm').press('Enter');
    await waitSignedIn(page, 'Alice Martin');
    g.assertClean();
  });

  test('magic link via the outbox signs in and removes ?token from the URL', async () => {
    await newContext();
    const page = await openDemo();
    await page.locator('#signin-email').fill('alice@example.com');
    await page.locator('#magic-link-btn').click();
    await page.locator('#view-sent').waitFor({ state: 'visible' });

    const link = await outboxLinkFor('alice@example.com', /sign|link|token=/i);
    assert.match(link, /[?&]token=/);
    await page.goto(link);
    await waitSignedIn(page, 'Alice Martin');
    const url = new URL(page.url());
    assert.ok(!url.searchParams.has('token'), `token removed from the URL: ${page.url()}`);
    assert.equal(url.pathname, '/');
    assert.ok(!(await page.evaluate(() => location.href)).includes('token='));

    // The link works once: opening it again explains that it expired.
    await page.locator('#sign-out').click();
    await page.goto(link);
    assert.equal(await alertCode(page), 'token_invalid');
    await waitSignedOut(page);
    g.assertClean([httpError(400, '/api/sys/users/exchange')]);
  });

  test('"Refresh now" rotates the token and the event log shows TOKEN_REFRESHED', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'alice@example.com');
    await waitSignedIn(page, 'Alice Martin');
    const before = (await storedSession(page)).accessToken;
    const stats0 = await mockApi('/mock/stats');
    await page.locator('#refresh-now').click();
    await page.locator('#event-log [data-event="TOKEN_REFRESHED"]').first().waitFor();
    await page.locator('#status', { hasText: /refreshed/i }).waitFor();
    const afterTok = (await storedSession(page)).accessToken;
    assert.notEqual(afterTok, before, 'a new access token was stored');
    const stats1 = await mockApi('/mock/stats');
    assert.equal(stats1.refresh - stats0.refresh, 1, 'exactly one refresh call');
    g.assertClean();
  });

  test('automatic refresh: the countdown runs and the event log shows the background TOKEN_REFRESHED', async () => {
    const previous = (await mockApi('/mock/config')).accessTtlSeconds ?? 3600;
    await mockApi('/mock/config', { accessTtlSeconds: 12 });
    try {
      await newContext();
      const page = await openDemo();
      await signInWithPassword(page, 'alice@example.com');
      await waitSignedIn(page, 'Alice Martin');
      assert.match(await page.locator('#fact-expires').textContent(), /^0:1\d$|^0:0\d$/);
      assert.match(await page.locator('#fact-refresh').textContent(), /^0:\d\d$|^due now$/, 'a refresh is scheduled');
      await page.locator('#event-log [data-event="TOKEN_REFRESHED"]').first().waitFor({ timeout: 20_000 });
      const stats = await mockApi('/mock/stats');
      assert.ok(stats.refresh >= 1, 'the library refreshed by itself');
      assert.equal(stats.failedRefresh, 0);
      await page.locator('#view-session').waitFor({ state: 'visible' });
      g.assertClean();
    } finally {
      await mockApi('/mock/config', { accessTtlSeconds: previous });
    }
  });

  test('"Open invoice" follows an authenticated link onto the portal page, signed in as alice', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'alice@example.com');
    await waitSignedIn(page, 'Alice Martin');
    await page.locator('#open-invoice').click();
    await page.waitForURL(/\/portal\/invoices\/1042/);
    await page.locator('body', { hasText: 'alice@example.com' }).waitFor();
    assert.ok(!page.url().includes('t='), 'the one-time token is not left in the final URL');
    g.assertClean();
  });

  test('Rebilly: get a test token, exchange it, see the customer session, sign out', async () => {
    await newContext();
    const page = await openDemo();
    await page.locator('#tab-rebilly').click();
    await page.locator('#panel-rebilly').waitFor({ state: 'visible' });
    await page.locator('#rebilly-get-token').click();
    await page.waitForFunction(() => document.querySelector('#rebilly-token').value.length > 0);
    await page.locator('#rebilly-token').press('Enter');
    await page.locator('#rebilly-session').waitFor({ state: 'visible' });
    const customer = (await page.locator('#rebilly-customer').textContent()).trim();
    assert.ok(customer && customer !== '—', 'customer id shown');
    const stored = await page.evaluate(() => localStorage.getItem('nexudus-auth-rebilly'));
    const shownToken = await page.locator('#rebilly-fact-token').textContent();
    assert.ok(shownToken.includes('•') && shownToken.length < 20, 'Rebilly token masked');
    if (stored) {
      const jwt = JSON.parse(stored).token;
      if (jwt) assert.ok(!(await page.content()).includes(jwt), 'the full Rebilly JWT is not in the page');
    }
    assert.match(await page.locator('#rebilly-fact-expires').textContent(), /^\d+:\d\d(:\d\d)?$/);
    await shot(page, 'demo-rebilly');

    await page.locator('#rebilly-sign-out').click();
    await page.locator('#rebilly-form').waitFor({ state: 'visible' });

    // Keyboard tabs: arrows move between the two tabs.
    await page.locator('#tab-rebilly').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#tab-nexudus').getAttribute('aria-selected'), 'true');
    await page.locator('#panel-nexudus').waitFor({ state: 'visible' });
    g.assertClean();
  });

  test('two tabs: sign-in, refresh and sign-out in one tab reach the other tab', async () => {
    await newContext();
    const a = await openDemo();
    const b = await openDemo();
    await a.locator('#view-signin').waitFor({ state: 'visible' });
    await b.locator('#view-signin').waitFor({ state: 'visible' });

    await a.bringToFront();
    await signInWithPassword(a, 'alice@example.com');
    await waitSignedIn(a, 'Alice Martin');
    await waitSignedIn(b, 'Alice Martin'); // B follows A's sign-in without a reload

    await a.locator('#refresh-now').click();
    await a.locator('#event-log [data-event="TOKEN_REFRESHED"]').first().waitFor();
    await b.locator('#event-log [data-event="TOKEN_REFRESHED"]').first().waitFor();

    await a.locator('#sign-out').click();
    await waitSignedOut(a);
    await waitSignedOut(b);
    await b.locator('#status', { hasText: /signed out/i }).waitFor();
    assert.equal(await b.evaluate(() => localStorage.getItem('nexudus-auth')), null);
    const stats = await mockApi('/mock/stats');
    assert.equal(stats.refresh, 1, 'one refresh for two tabs');
    g.assertClean();
  });

  test('every AuthError code of the contract has a human message', async () => {
    await newContext();
    const page = await openDemo();
    const rows = await page.evaluate(async () => {
      const { AuthError } = await import('/pkg/index.js');
      const { describeError } = await import('/js/errors.js');
      const codes = [
        'invalid_credentials', 'two_factor_required', 'password_reset_required', 'unsupported_grant_type',
        'session_expired', 'token_invalid', 'token_rejected', 'password_policy', 'unauthorized', 'network',
        'timeout', 'server', 'bad_response', 'storage', 'invalid_config',
      ];
      const out = codes.map((code) => {
        const err = new AuthError(code, `raw ${code}`, 400, 'SECRET-DESCRIPTION-TOKEN', { errors: ['Must have a digit.'], resetToken: 'SECRET-RESET' });
        const d = describeError(err);
        return { code, isError: err instanceof Error, d };
      });
      out.push({ code: 'non-AuthError', isError: true, d: describeError(new TypeError('x is not a function')) });
      return out;
    });
    for (const { code, isError, d } of rows) {
      assert.ok(isError, `${code}: AuthError is an Error`);
      assert.ok(d.title && d.title.length > 10 && !/^raw /.test(d.title), `${code}: has a human title (${d.title})`);
      assert.ok(!JSON.stringify(d).includes('SECRET'), `${code}: no secret in the message`);
    }
    assert.deepEqual(rows.find((r) => r.code === 'password_policy').d.list, ['Must have a digit.']);
    g.assertClean();
  });
});

process.on('exit', () => {
  // Make the screenshots easy to find in CI logs.
  if (process.exitCode === 0 || process.exitCode === undefined) console.log(`# screenshots: ${ARTIFACTS}/demo-*.png`);
});
