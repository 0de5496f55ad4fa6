// auth.fetch's 401 path in a real browser: the release package (/pkg/index.js) on a page of another
// origin than the API, against the mock. The server refuses a bearer that is still valid (the `401`
// fault of /mock/faults: the API's "Authorization has been denied" answer, as for a revoked token):
//  * auth.fetch refreshes exactly once and retries exactly once with the new token, with the same
//    method, body and headers (whether the caller passed a URL and init, or a Request);
//  * a second 401 is handed back to the caller as the Response: no second refresh, no loop, the
//    session kept;
//  * a one-shot (ReadableStream) body is never retried, and no refresh is spent on it.
//
// What the library sends is seen twice: in the page (window.fetch is wrapped to record every request
// the library makes, bearer included) and on the server (GET /mock/requests, with the fault that
// answered each request).
//
//   NEXUDUS_MOCK_URL=http://127.0.0.1:18787 PKG_DIR=pkg node --test tests/e2e/fetch-retry.test.mjs
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { guard, launch, mockApi } from './lib.mjs';
import { openAuth, panics, signIn, uid } from './seclib.mjs';

/** A protected POST route of the API (it answers a valid bearer with a one-time portal token). */
const ROUTE = '/api/sys/users/token/refresh';
const DENIED = { Message: 'Authorization has been denied for this request.' };

let browser;
let context;
let page;
let g;
const clientId = uid('retry-client');

before(async () => {
  browser = await launch();
  context = await browser.newContext();
  await mockApi('/mock/faults', undefined, 'DELETE');
  page = await openAuth(context, { storageKey: uid('retry'), clientId, autoRefresh: false });
  g = guard(page, { allow: [/status of 401 .*\/api\/sys\/users\/token\/refresh/] });
  const r = await signIn(page, { clientId });
  assert.ok(r.ok, `sign-in: ${JSON.stringify(r.err)}`);
  // Record every request the library hands to fetch: method, URL, headers and body (read from a clone,
  // so the request itself goes out untouched). `window.bufferNextBody` sends the next body as bytes
  // instead of a stream: Chromium streams a request body only over HTTP/2, and the mock speaks
  // HTTP/1.1 (a production API behind HTTPS gets the stream as it is).
  await page.evaluate(() => {
    const send = window.fetch.bind(window);
    window.sent = [];
    window.bufferNextBody = false;
    window.fetch = async (input, init) => {
      let req = new Request(input, init);
      const entry = { method: req.method, url: req.url, headers: Object.fromEntries(req.headers), body: null };
      window.sent.push(entry);
      entry.body = req.body ? await req.clone().text() : null;
      if (window.bufferNextBody) {
        window.bufferNextBody = false;
        req = new Request(req, { body: await req.arrayBuffer() });
      }
      return send(req);
    };
  });
});

afterEach(async () => {
  await mockApi('/mock/faults', undefined, 'DELETE');
});

after(async () => {
  await browser?.close();
});

const refreshes = async () => (await mockApi('/mock/stats')).refreshByClientId?.[clientId] ?? 0;

/** The mock's log of ROUTE requests after request id `mark` (oldest first). */
async function routeLog(mark) {
  const log = await mockApi('/mock/requests');
  return log.filter((r) => r.id > mark && r.path === ROUTE).sort((a, b) => a.id - b.id);
}
const lastId = async () => Math.max(0, ...(await mockApi('/mock/requests')).map((r) => r.id));

/** Marks where this case starts: the server's log, the page's log, the refresh count, the session. */
async function mark() {
  return {
    id: await lastId(),
    sent: await page.evaluate(() => window.sent.length),
    refreshes: await refreshes(),
    token: await page.evaluate(() => window.auth.session.accessToken),
    events: await page.evaluate(() => window.events.length),
  };
}

const sentSince = (m) => page.evaluate((n) => window.sent.slice(n), m.sent);
const path = (url) => new URL(url).pathname;

// The caller's request: a POST with a JSON body and two headers of its own (both CORS-safelisted by
// the mock: content-type and client_id), given as URL + init, or as a Request.
const CALLER_HEADERS = { 'content-type': 'application/json', client_id: 'caller-marker' };
const BODY = JSON.stringify({ probe: 'keep-me', n: 42 });
const FORMS = {
  'URL and init': ({ route, headers, body }) =>
    window.attempt(window.auth.fetch(route, { method: 'POST', headers, body })),
  Request: ({ route, headers, body }) =>
    window.attempt(window.auth.fetch(new Request(new URL(route, window.API), { method: 'POST', headers, body }))),
};

for (const [form, call] of Object.entries(FORMS)) {
  test(`a 401 on a valid bearer (${form}): one refresh, one retry with the new token, same method, body and headers`, async () => {
    const m = await mark();
    const expiresAt = await page.evaluate(() => window.auth.session.expiresAt);
    assert.ok(expiresAt > Date.now() + 60_000, 'the bearer the server refuses is still valid');
    await mockApi('/mock/faults', { kind: '401', path: ROUTE, count: 1 });

    const r = await page.evaluate(call, { route: ROUTE, headers: CALLER_HEADERS, body: BODY });
    assert.equal(r.ok, true, JSON.stringify(r.err));
    assert.equal(r.response.status, 200, `the retry reached the route: ${r.response.body}`);
    assert.equal(JSON.parse(r.response.body).WasSuccessful, true);

    const fresh = await page.evaluate(() => window.auth.session.accessToken);
    assert.notEqual(fresh, m.token, 'the session was refreshed');
    assert.equal((await refreshes()) - m.refreshes, 1, 'exactly one refresh');
    assert.deepEqual(await page.evaluate((n) => window.events.slice(n).map((e) => e[0]), m.events), ['TOKEN_REFRESHED']);

    // In the page: the call, the refresh, the retry, and nothing else.
    const sent = await sentSince(m);
    assert.deepEqual(sent.map((s) => `${s.method} ${path(s.url)}`), [`POST ${ROUTE}`, 'POST /api/token', `POST ${ROUTE}`]);
    const [first, , retry] = sent;
    assert.equal(first.headers.authorization, `Bearer ${m.token}`, 'first try with the old token');
    assert.equal(retry.headers.authorization, `Bearer ${fresh}`, 'the retry carries the new token');
    for (const s of [first, retry]) {
      assert.equal(s.body, BODY, 'the body is kept');
      assert.equal(s.headers['content-type'], CALLER_HEADERS['content-type']);
      assert.equal(s.headers.client_id, CALLER_HEADERS.client_id, "the caller's own header is kept");
    }
    assert.deepEqual(Object.keys(retry.headers).sort(), Object.keys(first.headers).sort(), 'no header lost or added');

    // On the server: the faulted try and the retry, the same request but for the token.
    const log = await routeLog(m.id);
    assert.deepEqual(log.map((e) => [e.method, e.status, e.fault]), [['POST', 401, '401'], ['POST', 200, null]]);
    for (const e of log) {
      assert.equal(e.body, BODY);
      assert.equal(e.contentType, 'application/json');
      assert.equal(e.clientId, 'caller-marker');
      assert.equal(e.authorization, true);
    }
    assert.deepEqual(await mockApi('/mock/faults'), [], 'the fault was used');
    assert.deepEqual(panics(page), []);
    g.assertClean();
  });
}

test('a second 401 is handed back to the caller: one refresh, one retry, no loop, the session kept', async () => {
  const m = await mark();
  await mockApi('/mock/faults', { kind: '401', path: ROUTE, count: 5 });

  const r = await page.evaluate(FORMS['URL and init'], { route: ROUTE, headers: CALLER_HEADERS, body: BODY });
  assert.equal(r.ok, true, `the 401 is the caller's Response, not an error: ${JSON.stringify(r.err)}`);
  assert.equal(r.response.status, 401);
  assert.deepEqual(JSON.parse(r.response.body), DENIED);

  assert.equal((await refreshes()) - m.refreshes, 1, 'exactly one refresh');
  const sent = await sentSince(m);
  assert.deepEqual(sent.map((s) => `${s.method} ${path(s.url)}`), [`POST ${ROUTE}`, 'POST /api/token', `POST ${ROUTE}`]);
  const log = await routeLog(m.id);
  assert.deepEqual(log.map((e) => [e.status, e.fault]), [[401, '401'], [401, '401']], 'two tries, both refused');
  const left = await mockApi('/mock/faults');
  assert.deepEqual(left.map((f) => f.count), [3], 'no further try used a fault');

  const session = await page.evaluate(() => window.auth.session);
  assert.ok(session?.accessToken, 'still signed in');
  assert.equal(sent[2].headers.authorization, `Bearer ${session.accessToken}`);
  const events = await page.evaluate((n) => window.events.slice(n).map((e) => e[0]), m.events);
  assert.deepEqual(events, ['TOKEN_REFRESHED'], 'no SIGNED_OUT');
  g.assertClean();
});

test('a 401 on a one-shot (ReadableStream) body is not retried and spends no refresh', async () => {
  const m = await mark();
  await mockApi('/mock/faults', { kind: '401', path: ROUTE, count: 2 });
  const r = await page.evaluate(async (route) => {
    const bytes = new TextEncoder().encode('{"probe":"stream"}');
    const body = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' };
    window.bufferNextBody = true;
    const warnings = [];
    const off = window.auth.onWarning((w) => warnings.push({ name: w.name, code: w.code, message: w.message }));
    const out = await window.attempt(window.auth.fetch(route, init));
    off();
    return { ...out, warnings };
  }, ROUTE);
  // The caller gets the server's 401 as its Response: a body that is gone is never sent again.
  assert.equal(r.ok, true, JSON.stringify(r.err));
  assert.equal(r.response.status, 401);
  assert.deepEqual(JSON.parse(r.response.body), DENIED);
  const sent = await sentSince(m);
  assert.deepEqual(sent.map((s) => `${s.method} ${path(s.url)}`), [`POST ${ROUTE}`], 'one request, no refresh, no retry');
  assert.equal(sent[0].body, '{"probe":"stream"}');
  assert.deepEqual((await routeLog(m.id)).map((e) => [e.status, e.fault, e.body]), [[401, '401', '{"probe":"stream"}']]);
  assert.deepEqual((await mockApi('/mock/faults')).map((f) => f.count), [1], 'one fault left: one try');
  assert.equal((await refreshes()) - m.refreshes, 0, 'no refresh');
  assert.equal(await page.evaluate(() => window.auth.session.accessToken), m.token, 'the session is untouched');
  // …and the caller is told why: one onWarning AuthError('unauthorized') naming the one-shot body.
  assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
  assert.equal(r.warnings[0].name, 'AuthError');
  assert.equal(r.warnings[0].code, 'unauthorized');
  assert.match(r.warnings[0].message, /not retried: the body was a one-shot stream/);
  g.assertClean();
});
