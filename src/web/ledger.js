// The refresh ledger: the last session a lock holder wrote, kept in IndexedDB. No engine orders
// localStorage after Web Locks (a tab that takes the lock may still read the old value, while
// IndexedDB after the hand-off was never stale in Chromium, Firefox or WebKit:
// docs/PLATFORM.md#cross-tab-storage-order, docs/ENGINES.md), so the lock's double check reads this copy. Every failure resolves quietly (null / undefined): the ledger only
// ever adds certainty, the caller works without it.
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
