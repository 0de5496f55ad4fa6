// End-to-end test of the demo sign-in page (www/) in real Chromium against the mock server: loading
// (CSP, preloads, labels) and every way to sign in: password (desktop, mobile), wrong password, 2FA,
// must-reset, forgot password, magic link. demo-session.test.mjs holds the signed-in session tests;
// the shared hooks and helpers are in demo-lib.mjs.
//
//   NEXUDUS_MOCK_URL=http://127.0.0.1:18787 node --test --test-concurrency=1 tests/e2e/
//
// Every flow a person can take on the page is walked with clicks and keys. Any console error,
// uncaught exception or failed request fails the test (guard()); the only console errors allowed
// are Chromium's own "Failed to load resource: … status of 400" lines for the requests a test
// provokes on purpose (wrong password, 2FA step, must-reset, weak password).
// Screenshots for reviewers land in tests/e2e/artifacts/demo-*.png.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { guard, shot, totp } from './lib.mjs';
import {
  DESKTOP, MOBILE, PASSWORD, POLL_ABORTED, alertCode, browser, g, httpError, installDemoHooks, newContext, openDemo,
  outboxLinkFor, signInWithPassword, storedSession, waitSignedIn, waitSignedOut,
} from './demo-lib.mjs';

installDemoHooks();

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
    assert.ok(head.modulepreload.includes('/pkg/auth_error.js'), 'modulepreload of the one module index.js imports');
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
    assert.equal(await page.locator('#status').textContent(), '', 'the step\'s "Almost there" line is gone once signed in');
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
});
