// RebillyAuth through the public API, in the engine $E2E_ENGINE names (chromium | firefox | webkit;
// tests/e2e/engines/driver.mjs), against the mock's Rebilly exchange (docs/CONTRACT.md "RebillyAuth"):
// the exchange, its single use, restoring and expiring the stored session, sign-out. The page is on the
// pages' origin, so every call is cross-origin.
//
//   E2E_ENGINE=firefox NEXUDUS_MOCK_URL=http://127.0.0.1:18787 node --test tests/e2e/api-rebilly.test.mjs
import assert from 'node:assert/strict';
import { MOCK, mockApi } from './lib.mjs';
import { apiSuite, ok, rejects, uid } from './engines/harness.mjs';

const apiTest = apiSuite();
const BASE = `${MOCK}/rebilly/organizations/org-e2e`;

/** A fresh single-use authentication token for `customerId` from the mock. */
const authToken = async (customerId) => (await mockApi('/mock/rebilly/token', { customerId })).token;

apiTest('a Rebilly exchange gives the customer session once, and a refused one keeps it', async (page) => {
  const token = await authToken('cus_e2e_one');
  const r = await page.evaluate(async ([base, token, key]) => {
    const auth = await window.mod.RebillyAuth.create({ baseUrl: base, publishableKey: 'pk_sandbox_e2e', storage: 'local', storageKey: key });
    const events = [];
    auth.onChange((event, s) => events.push([event, s && s.customerId]));
    const first = await window.attempt(auth.exchange(token));
    const again = await window.attempt(auth.exchange(token));
    return { first, again, session: auth.session, stored: localStorage.getItem(key), events };
  }, [BASE, token, uid('rebilly')]);
  const first = ok(r.first, 'exchange');
  assert.equal(first.customerId, 'cus_e2e_one');
  assert.equal(first.token.split('.').length, 3, 'the customer JWT');
  assert.ok(first.expiresAt > Date.now() + 50 * 60_000, `about an hour: ${first.expiresAt}`);
  const err = rejects(r.again, 'token_rejected', 'the token works once');
  assert.equal(err.status, 401);
  assert.deepEqual(r.session, first, 'the refused exchange lost nothing');
  assert.equal(JSON.parse(r.stored).token, first.token, 'stored');
  assert.deepEqual(r.events, [['SIGNED_IN', 'cus_e2e_one']]);
});

apiTest('a stored Rebilly session is restored until it expires, then removed', async (page) => {
  const token = await authToken('cus_e2e_two');
  const key = uid('rebilly');
  const r = await page.evaluate(async ([base, token, key]) => {
    const create = () => window.mod.RebillyAuth.create({ baseUrl: base, publishableKey: 'pk_sandbox_e2e', storage: 'local', storageKey: key });
    await (await create()).exchange(token);
    // the stored form as the package wrote it, its expiry moved: 1.5 s from now
    const stored = JSON.parse(localStorage.getItem(key));
    localStorage.setItem(key, JSON.stringify({ ...stored, expiresAt: Date.now() + 1500 }));
    const soon = await create();
    const restored = soon.session;
    await new Promise((done) => setTimeout(done, 1700));
    const afterExpiry = soon.session;
    const events = [];
    soon.onChange((event, s) => events.push([event, s]));
    soon.signOut();
    const signedOutStored = localStorage.getItem(key);
    // an expired stored session is removed at create()
    localStorage.setItem(key, JSON.stringify({ ...stored, expiresAt: Date.now() - 1 }));
    const late = await create();
    // an unreadable one too
    localStorage.setItem(`${key}-bad`, '{"v":1,"token":');
    const bad = await window.mod.RebillyAuth.create({ baseUrl: base, publishableKey: 'pk_sandbox_e2e', storage: 'local', storageKey: `${key}-bad` });
    return {
      restored, afterExpiry, events, signedOutStored, late: late.session, lateStored: localStorage.getItem(key),
      bad: bad.session, badStored: localStorage.getItem(`${key}-bad`),
    };
  }, [BASE, token, key]);
  assert.equal(r.restored?.customerId, 'cus_e2e_two', 'restored while unexpired');
  assert.equal(r.afterExpiry, null, 'null once expiresAt has passed');
  assert.deepEqual(r.events, [['SIGNED_OUT', null]], 'sign-out of a held (expired) session fires SIGNED_OUT');
  assert.equal(r.signedOutStored, null, 'sign-out clears the storage');
  assert.equal(r.late, null);
  assert.equal(r.lateStored, null, 'an expired stored session is removed');
  assert.equal(r.bad, null);
  assert.equal(r.badStored, null, 'an unreadable stored session is removed');
});

apiTest('bad Rebilly options and tokens are invalid_config', async (page) => {
  const r = await page.evaluate(async (base) => {
    const A = window.mod.RebillyAuth;
    const auth = await A.create({ baseUrl: base, storage: 'memory' });
    return {
      noBase: await window.attempt(A.create({ storage: 'memory' })),
      http: await window.attempt(A.create({ baseUrl: 'http://api.rebilly.example/organizations/o' })),
      emptyToken: await window.attempt(auth.exchange('')),
      otp: await window.attempt(auth.exchange('abc', { oneTimePassword: '12345' })),
      session: auth.session,
    };
  }, BASE);
  for (const k of ['noBase', 'http', 'emptyToken', 'otp']) rejects(r[k], 'invalid_config', k);
  assert.equal(r.session, null);
});
