// nexudus-auth shell: the refresh ledger. The session the last lock holder wrote, in IndexedDB:
// unlike localStorage it is never stale right after a Web Lock hand-off. Every failure reads as
// "no entry": the ledger only ever adds certainty.

const LEDGER_STORE = 'sessions';
/** @type {Promise<IDBDatabase | null> | undefined} the database, opened once per page */
let ledgerDb;

/** @returns {Promise<IDBDatabase | null>} null where IndexedDB is unusable */
function openLedger() {
  if (!ledgerDb) {
    ledgerDb = new Promise((resolve) => {
      try {
        const request = indexedDB.open('nexudus-auth', 1);
        request.onupgradeneeded = () => request.result.createObjectStore(LEDGER_STORE);
        request.onsuccess = () => resolve(request.result);
        request.onerror = request.onblocked = () => resolve(null);
      } catch (_) {
        resolve(null);
      }
    });
  }
  return ledgerDb;
}

/**
 * Runs `operation` in a transaction; resolves with its request's result once committed
 * (undefined on any failure, null without a database). Never rejects.
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest} operation
 * @returns {Promise<unknown>}
 */
function ledgerRun(mode, operation) {
  return openLedger().then(
    (db) =>
      db &&
      new Promise((resolve) => {
        try {
          const tx = db.transaction(LEDGER_STORE, mode);
          const request = operation(tx.objectStore(LEDGER_STORE));
          tx.oncomplete = () => resolve(request.result);
          tx.onerror = tx.onabort = () => resolve(undefined);
        } catch (_) {
          resolve(undefined);
        }
      }),
  );
}

/**
 * @param {string} key the storage key
 * @returns {Promise<string | null>} the ledger's session text for `key`, or null
 */
export function ledgerGet(key) {
  return ledgerRun('readonly', (s) => s.get(key)).then((v) => (typeof v === 'string' ? v : null));
}

/**
 * Records `value` (or removes the entry), resolving once the transaction committed.
 * @param {string} key the storage key
 * @param {string | null} value
 * @returns {Promise<unknown>} never rejects
 */
export function ledgerSet(key, value) {
  return ledgerRun('readwrite', (s) => (value == null ? s.delete(key) : s.put(value, key)));
}
