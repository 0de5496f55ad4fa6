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
