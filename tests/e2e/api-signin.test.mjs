// Every sign-in flow of the public API and every error code the contract lists for them, in the engine
// $E2E_ENGINE names (chromium | firefox | webkit; tests/e2e/engines/driver.mjs), against the mock. The
// page is on the pages' origin, so every call is cross-origin (CORS preflights for `client_id`).
// Ported from the wasm-bindgen tests of tests/web_signin.rs (same names, same assertions).
//
//   E2E_ENGINE=firefox NEXUDUS_MOCK_URL=http://127.0.0.1:18787 node --test tests/e2e/api-signin.test.mjs
import assert from 'node:assert/strict';
import { MOCK, mockApi, totp } from './lib.mjs';
import { ALICE, apiSuite, call, client, creds, lastRequestOf, ok, rejects, sessionOf, uid } from './engines/harness.mjs';

const apiTest = apiSuite();
const oneTimeJwt = async (body) => (await mockApi('/mock/one-time-jwt', { email: ALICE, ...body })).token;

apiTest('password sign-in gives a session and a token', async (page) => {
  await client(page, 'a');
  assert.equal(await sessionOf(page, 'a'), null);
  const s = ok(await call(page, 'a', 'signIn', creds(ALICE)));
  assert.equal(s.tokenType, 'bearer');
  assert.ok(s.expiresAt > (await page.evaluate(() => Date.now())), 'expiresAt is in the future');
  assert.equal(await page.evaluate(() => window.clients.a.session.refreshToken === undefined), true,
    'the refresh token is never exposed');
  const token = ok(await call(page, 'a', 'getAccessToken'));
  assert.equal(token, s.accessToken);
  assert.equal((await sessionOf(page, 'a')).accessToken, token);
});

apiTest('sign-in sends form encoding and the client_id header', async (page) => {
  const clientId = uid('portal');
  await client(page, 'a', { clientId });
  ok(await call(page, 'a', 'signIn', creds(ALICE)));
  const mine = await lastRequestOf(clientId);
  assert.equal(mine.path, '/api/token');
  assert.match(mine.contentType, /^application\/x-www-form-urlencoded/);
});

apiTest('wrong password is invalid_credentials', async (page) => {
  await client(page, 'a');
  const err = rejects(await call(page, 'a', 'signIn', creds(ALICE, 'nope')), 'invalid_credentials');
  assert.equal(err.status, 400);
  assert.equal(typeof err.description, 'string', "keeps the server's error_description");
  assert.ok(!err.message.includes('nope'), 'no password in messages');
  assert.equal(await sessionOf(page, 'a'), null);
});

apiTest('two-factor user needs the TOTP code', async (page) => {
  const bob = 'bob@example.com';
  await client(page, 'a');
  rejects(await call(page, 'a', 'signIn', creds(bob)), 'two_factor_required');
  const code = await totp(bob);
  // Half a million away from the current code: not the code of this or a neighbouring step.
  const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
  rejects(await call(page, 'a', 'signIn', creds(bob, undefined, wrong)), 'two_factor_required', 'a wrong code');
  assert.equal(await sessionOf(page, 'a'), null);
  const s = ok(await call(page, 'a', 'signIn', creds(bob, undefined, code)));
  assert.equal(typeof s.accessToken, 'string');
});

apiTest('must-reset user gets the reset token and the policy is enforced', async (page) => {
  const carol = 'carol@example.com';
  await mockApi('/mock/reset-user', { email: carol });
  await client(page, 'a');
  const err = rejects(await call(page, 'a', 'signIn', creds(carol)), 'password_reset_required');
  const token = err.resetToken;
  assert.equal(typeof token, 'string');
  assert.ok(!err.message.includes(token), 'the reset token is not in the message');
  const weak = rejects(await call(page, 'a', 'completePasswordReset', { token, newPassword: 'short' }), 'password_policy');
  assert.ok(Array.isArray(weak.errors) && weak.errors.length > 0, `the policy's errors: ${JSON.stringify(weak.errors)}`);
  const s = ok(await call(page, 'a', 'completePasswordReset', { token, newPassword: 'N3wPassword!' }));
  assert.equal(typeof s.accessToken, 'string', 'the returned JWT was exchanged at once');
  rejects(await call(page, 'a', 'completePasswordReset', { token, newPassword: 'N3wPassword!' }), 'token_invalid',
    'reset tokens are single use');
});

apiTest('one-time JWT exchange works once', async (page) => {
  await client(page, 'a');
  const jwt = await oneTimeJwt();
  const s = ok(await call(page, 'a', 'exchangeToken', jwt));
  assert.equal(typeof s.accessToken, 'string');
  rejects(await call(page, 'a', 'exchangeToken', jwt), 'token_invalid', 'a used JWT');
  for (const variant of ['bad_signature', 'other_space']) {
    const err = rejects(await call(page, 'a', 'exchangeToken', await oneTimeJwt({ variant })), 'token_rejected', variant);
    assert.equal(err.status, 401, variant);
  }
  rejects(await call(page, 'a', 'exchangeToken', await oneTimeJwt({ variant: 'expired' })), 'token_invalid', 'expired');
});

apiTest('an exchanged session can refresh with its bound client_id', async (page) => {
  await client(page, 'a');
  const first = ok(await call(page, 'a', 'exchangeToken', await oneTimeJwt()));
  const second = ok(await call(page, 'a', 'refresh'));
  assert.notEqual(second.accessToken, first.accessToken);
});

apiTest('refresh rotates and a dead refresh token signs out', async (page) => {
  const clientId = uid('rot');
  await client(page, 'a', { clientId });
  const first = ok(await call(page, 'a', 'signIn', creds(ALICE)));
  const second = ok(await call(page, 'a', 'refresh'));
  assert.notEqual(second.accessToken, first.accessToken);
  await mockApi('/mock/revoke', { clientId });
  rejects(await call(page, 'a', 'refresh'), 'session_expired');
  assert.equal(await sessionOf(page, 'a'), null);
  const events = await page.evaluate(() => window.logs.a.events.map((e) => e[0]));
  assert.equal(events.at(-1), 'SIGNED_OUT', JSON.stringify(events));
});

apiTest('a sign-in the server gets as JSON is unsupported_grant_type', async (page) => {
  // The client sends a form; re-encoded as JSON on the way (sendNextTokenCallAsJson), the server
  // refuses the grant, and signIn reports it with its own code.
  const clientId = uid('json');
  await client(page, 'a', { clientId });
  await page.evaluate(() => window.sendNextTokenCallAsJson());
  const err = rejects(await call(page, 'a', 'signIn', creds(ALICE)), 'unsupported_grant_type');
  assert.equal(err.status, 400);
  assert.equal(await sessionOf(page, 'a'), null);
  assert.equal((await lastRequestOf(clientId)).contentType, 'application/json', 'the server got JSON');
  // Sent as the client makes it (a form), the same sign-in works.
  ok(await call(page, 'a', 'signIn', creds(ALICE)));
});

apiTest('authenticated link and portal login URL', async (page) => {
  await client(page, 'a');
  rejects(await call(page, 'a', 'authenticatedLink', '/portal/invoices/1'), 'unauthorized', 'signed out');
  ok(await call(page, 'a', 'signIn', creds(ALICE)));
  const link = ok(await call(page, 'a', 'authenticatedLink', '/portal/invoices/1?x=a b'));
  assert.ok(link.startsWith(`${MOCK}/user/login?server=true&t=`), link);
  assert.ok(link.endsWith('&redirectUrl=%2Fportal%2Finvoices%2F1%3Fx%3Da%20b'), link);
  const login = ok(await call(page, 'a', 'portalLoginUrl'));
  assert.ok(login.startsWith(`${MOCK}/login?t=`), login);
  rejects(await call(page, 'a', 'authenticatedLink', 'https://evil.example/steal'), 'invalid_config', 'no open redirect');
});

apiTest('portal helpers build the documented paths', async (page) => {
  const r = await page.evaluate(async () => {
    await window.mod.default();
    const { endpoints, authenticatedLinkUrl } = window.mod;
    let bad;
    try {
      bad = { ok: true, value: authenticatedLinkUrl('javascript:alert(1)', 't', '/') };
    } catch (e) {
      bad = { ok: false, err: window.describeError(e) };
    }
    return {
      login: endpoints.system.auth.login('a.b+c/='),
      url: authenticatedLinkUrl('https://x.spaces.nexudus.com/', 't 1', '/a?b=c'),
      bad,
    };
  });
  assert.equal(r.login, '/api/sys/users/exchange?token=a.b%2Bc%2F%3D&validForInMinutes=1440');
  assert.equal(r.url, 'https://x.spaces.nexudus.com/user/login?server=true&t=t%201&redirectUrl=%2Fa%3Fb%3Dc');
  rejects(r.bad, 'invalid_config', 'a javascript: portal URL');
});

apiTest('password reset start answers the same for unknown emails', async (page) => {
  await client(page, 'a');
  const r = await page.evaluate(async () => {
    const recorder = window.recordAnswers('/api/sys/users/startPasswordReset');
    const known = await window.call('a', 'startPasswordReset', 'alice@example.com');
    const unknown = await window.call('a', 'startPasswordReset', 'nobody@example.com');
    recorder.stop();
    return { known, unknown, answers: recorder.answers.map((a) => JSON.stringify(a)),
      same: JSON.stringify([known.value]) === JSON.stringify([unknown.value]) };
  });
  ok(r.known, 'known email');
  ok(r.unknown, 'unknown email');
  assert.equal(r.same, true, 'the caller gets the same value');
  assert.equal(r.answers.length, 2, 'both requests reached the server');
  assert.equal(r.answers[0], r.answers[1], "the server's answers are identical (status and body)");
  assert.ok(r.answers[0].startsWith('[200,'), `a success for both: ${r.answers[0]}`);
});

apiTest('bad password-reset arguments are invalid_config and send nothing', async (page) => {
  await client(page, 'a');
  const r = await page.evaluate(async () => {
    const starts = window.recordAnswers('/api/sys/users/startPasswordReset');
    const out = [
      await window.call('a', 'startPasswordReset', ''),
      await window.call('a', 'startPasswordReset', 'alice@example.com', '12'),
      await window.call('a', 'startPasswordReset', 'alice@example.com', Infinity),
      await window.call('a', 'completePasswordReset', { token: 't' }),
      await window.call('a', 'completePasswordReset', { token: 't', newPassword: 'N3w!pass', businessId: 'x' }),
    ];
    starts.stop();
    return { out, sent: starts.answers.length };
  });
  const messages = r.out.map((x, i) => rejects(x, 'invalid_config', `call #${i}`).message);
  assert.deepEqual(messages, ['email must be a non-empty string', 'businessId must be a number', 'businessId must be a number',
    'newPassword must be a non-empty string', 'businessId must be a number']);
  assert.equal(r.sent, 0, 'no request');
});

apiTest('bad options are invalid_config', async (page) => {
  const results = await page.evaluate(async () => {
    const api = window.API;
    const out = [];
    for (const options of [
      undefined,
      { baseUrl: 'not a url' },
      { baseUrl: 'http://example.com' },
      { baseUrl: api, storage: 'cookies' },
      { baseUrl: api, refreshLeewaySeconds: 'soon' },
    ]) out.push(await window.attempt(window.mod.NexudusAuth.create(options)));
    return out;
  });
  assert.equal(results.length, 5);
  for (const [i, r] of results.entries()) rejects(r, 'invalid_config', `options #${i}`);
});
