// nexudus-auth shell: the Web Lock that makes a refresh happen once across the tabs.
import { timerDelay } from './clock.js';

/**
 * A held lock.
 * @typedef {object} HeldLock
 * @property {(value: void) => void} release lets the lock go
 * @property {boolean} waited whether another tab held it first
 */

/**
 * Takes the Web Lock `name`. Resolves once held (held until `release()`), or null where Web
 * Locks do not exist. A holder that does not release it within `timeoutMs` (a frozen tab keeps
 * its locks) has it stolen.
 * @param {string} name
 * @param {number} timeoutMs
 * @returns {Promise<HeldLock | null>}
 */
export function acquireLock(name, timeoutMs) {
  const locks = globalThis.navigator?.locks;
  if (!locks || typeof locks.request !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    /** @type {(value: void) => void} */
    let release;
    /** @type {Promise<void>} resolves when released: the lock is held until then */
    const held = new Promise((r) => {
      release = r;
    });
    /** @param {boolean} waited */
    const grant = (waited) => () => {
      resolve({ release, waited });
      return held;
    };
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (lock) return grant(false)();
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), timerDelay(timeoutMs));
        locks
          .request(name, { signal: abort.signal }, () => {
            clearTimeout(timer);
            return grant(true)();
          })
          .catch(() => locks.request(name, { steal: true }, grant(true)).catch(() => resolve(null)));
        return undefined;
      })
      .catch(() => resolve(null));
  });
}
