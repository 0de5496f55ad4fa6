// The demo page's protected-file and team-admin flows in real Chromium against the mock: "Download
// invoice PDF" (auth.mediaUrl), the team admin's "Sign in as…" list (auth.impersonate) and the
// "Back to my account" bar (auth.stopImpersonating), followed by a second tab. Shared hooks and
// helpers: demo-lib.mjs. Screenshots: tests/e2e/artifacts/demo-*-{pdf,team,acting}.png.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MOCK, mockApi, shot } from './lib.mjs';
import { MOBILE, ctx, g, installDemoHooks, newContext, openDemo, signInWithPassword, waitSignedIn } from './demo-lib.mjs';

installDemoHooks();

/** The "Sign in as…" list's entries: [{id, text}]. */
const teamEntries = (page) =>
  page.locator('#team-list li').evaluateAll((els) => els.map((el) => ({ id: Number(el.dataset.coworker), text: el.textContent })));

describe('demo: protected files and team admins', () => {
  test('"Download invoice PDF" opens the invoice on the API with a media token; the file is a real PDF', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'alice@example.com');
    await waitSignedIn(page, 'Alice Martin');
    const [popup] = await Promise.all([ctx.waitForEvent('page'), page.getByRole('button', { name: 'Download invoice PDF' }).click()]);
    await page.locator('#status', { hasText: /PDF\) opened in a new tab/ }).waitFor();
    await shot(page, 'demo-desktop-pdf');
    // The new tab is the browser opening the file itself (no bearer header); read its URL.
    await popup.waitForURL(/\/pdf\?t=/, { waitUntil: 'commit' });
    const url = new URL(popup.url());
    assert.equal(url.origin, MOCK);
    assert.equal(url.pathname, '/api/public/billing/invoices/1042/pdf');
    assert.ok(url.searchParams.get('t'));
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await mockApi('/mock/stats')).media, 1);
    await popup.close();
    g.assertClean();
  });

  test('alice: "Sign in as…" erin, the "Back to my account" bar in both tabs, then back', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'alice@example.com');
    await waitSignedIn(page, 'Alice Martin');
    await page.locator('#team').waitFor({ state: 'visible' });
    const entries = await teamEntries(page);
    assert.deepEqual(entries.map((e) => e.id), [5, 6]);
    assert.match(entries[0].text, /Erin Walsh.*erin@example\.com/);
    assert.ok(await page.locator('#acting-bar').isHidden());
    await shot(page, 'demo-desktop-team');

    const second = await openDemo();
    await waitSignedIn(second, 'Alice Martin');

    await page.getByRole('button', { name: 'Sign in as Erin Walsh' }).click();
    await waitSignedIn(page, 'Erin Walsh');
    await page.locator('#acting-bar').waitFor({ state: 'visible' });
    await page.locator('#acting-name', { hasText: 'Erin Walsh' }).waitFor();
    assert.ok(await page.locator('#team').isHidden(), 'no "Sign in as…" list while acting for someone');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'session-title');
    await page.locator('#status', { hasText: 'acting for Erin Walsh' }).waitFor();
    await page.locator('#event-log [data-event="SIGNED_IN"]').first().waitFor();
    await shot(page, 'demo-desktop-acting');

    // The other tab follows, and can come back itself.
    await waitSignedIn(second, 'Erin Walsh');
    await second.locator('#acting-bar').waitFor({ state: 'visible' });
    await second.locator('#status', { hasText: 'acting for a team member (switched in another tab)' }).waitFor();
    await second.getByRole('button', { name: 'Back to my account' }).click();
    await waitSignedIn(second, 'Alice Martin');
    await second.locator('#acting-bar').waitFor({ state: 'hidden' });
    await second.locator('#status', { hasText: 'back in your own account' }).waitFor();
    await waitSignedIn(page, 'Alice Martin');
    await page.locator('#acting-bar').waitFor({ state: 'hidden' });
    await page.locator('#status', { hasText: 'back in your own account (switched in another tab)' }).waitFor();
    await page.locator('#team').waitFor({ state: 'visible' });
    assert.deepEqual((await teamEntries(page)).map((e) => e.id), [5, 6]);
    const stats = await mockApi('/mock/stats');
    assert.equal(stats.impersonate, 1);
    g.assertClean();
  });

  test('mobile (375 px): the "Back to my account" bar and its button fit the screen', async () => {
    await newContext(MOBILE);
    const page = await openDemo();
    await signInWithPassword(page, 'alice@example.com');
    await waitSignedIn(page, 'Alice Martin');
    await page.getByRole('button', { name: 'Sign in as Frank Osei' }).click();
    await waitSignedIn(page, 'Frank Osei');
    const bar = page.locator('#acting-bar');
    await bar.waitFor({ state: 'visible' });
    const button = await page.getByRole('button', { name: 'Back to my account' }).boundingBox();
    assert.ok(button.x >= 0 && button.x + button.width <= 375, `the button is on screen: ${JSON.stringify(button)}`);
    assert.ok(button.height >= 32, 'a usable touch target');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no horizontal scroll');
    await shot(page, 'demo-mobile-375-acting');
    g.assertClean();
  });

  test('a member (erin) gets no "Sign in as…" list', async () => {
    await newContext();
    const page = await openDemo();
    await signInWithPassword(page, 'erin@example.com');
    await waitSignedIn(page, 'Erin Walsh');
    // The list is only shown once the (empty) profiles answer is in: wait until the mock answered it.
    for (let i = 0; i < 50; i++) {
      const log = await mockApi('/mock/requests');
      if (log.some((r) => r.path === '/api/public/coworkers/profiles' && r.status === 200)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.waitForTimeout(200);
    assert.ok(await page.locator('#team').isHidden());
    assert.ok(await page.locator('#acting-bar').isHidden());
    g.assertClean();
  });
});
