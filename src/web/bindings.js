// The JavaScript the web layer calls instead of web-sys, as one snippet module: every snippet is a
// request of its own (docs/PLATFORM.md#test-runner-connections). AuthError stays in auth_error.js.

// ---------------------------------------------------------------- Web Locks (src/web/lock.rs)
// A small own binding to `navigator.locks.request` (web-sys keeps LockManager behind
// `web_sys_unstable_apis`). `acquire` resolves once the lock is held, with
// `{ release, waited }`; the lock stays held until `release()` is called. A holder that froze
// (a suspended tab keeps its locks) is not waited on forever: after `timeoutMs` the lock is
// stolen. Resolves `null` where Web Locks do not exist (the caller then works without them).
export function acquire(name, timeoutMs) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks || typeof locks.request !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    let release;
    const held = new Promise((r) => { release = r; });
    const grant = (waited) => () => { resolve({ release, waited }); return held; };
    locks.request(name, { ifAvailable: true }, (lock) => {
      if (lock) return grant(false)();
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      locks.request(name, { signal: abort.signal }, (l) => { clearTimeout(timer); return grant(true)(l); })
        .catch(() => locks.request(name, { steal: true }, grant(true)).catch(() => resolve(null)));
      return undefined;
    }).catch(() => resolve(null));
  });
}

// ---------------------------------------------------------------- refresh ledger (src/web/ledger.rs)
// The last session a lock holder wrote, kept in IndexedDB. No engine orders localStorage after
// Web Locks (a tab that takes the lock may still read the old value, while IndexedDB after the
// hand-off was never stale in Chromium, Firefox or WebKit: docs/PLATFORM.md#cross-tab-storage-order,
// docs/ENGINES.md), so the lock's double check reads this copy. Every failure resolves quietly
// (null / undefined): the ledger only ever adds certainty, the caller works without it.
const STORE = 'sessions';
let opened;

function db() {
  if (!opened) {
    opened = new Promise((resolve) => {
      try {
        const req = indexedDB.open('nexudus-auth', 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => resolve(req.result);
        req.onerror = req.onblocked = () => resolve(null);
      } catch (_) {
        resolve(null);
      }
    });
  }
  return opened;
}

function run(mode, op) {
  return db().then((d) => d && new Promise((resolve) => {
    try {
      const tx = d.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => resolve(undefined);
    } catch (_) {
      resolve(undefined);
    }
  }));
}

export function ledgerGet(key) {
  return run('readonly', (s) => s.get(key)).then((v) => (typeof v === 'string' ? v : null), () => null);
}

export function ledgerSet(key, value) {
  return run('readwrite', (s) => (value == null ? s.delete(key) : s.put(value, key))).then(() => undefined, () => undefined);
}

// ---------------------------------------------------------------- Request (src/web/fetch.rs)
// Builds a `Request` from plain parts in one call. Through web-sys the same takes eight imports
// (Headers::new/set, RequestInit::new and four setters, Request::new_with_str_and_init), each a glue
// function plus its call code in the wasm (bench/RESULTS.md "Item 2"). `headers` is a flat array
// [name, value, name, value, ...]; an invalid header or URL throws, as `new Request` does.
export function buildRequest(method, url, headers, body, signal) {
  const h = new Headers();
  for (let i = 0; i < headers.length; i += 2) h.set(headers[i], headers[i + 1]);
  return new Request(url, { method, headers: h, body, signal });
}
