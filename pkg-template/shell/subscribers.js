// nexudus-auth shell: the change events and the onChange / onWarning subscribers.
import { configError } from './errors.js';

/** The events onChange reports. */
export const SIGNED_IN = 'SIGNED_IN';
export const SIGNED_OUT = 'SIGNED_OUT';
export const TOKEN_REFRESHED = 'TOKEN_REFRESHED';

/**
 * Callbacks called with `(a, b)`; a throwing callback is logged and never stops the others.
 * @template A, B
 */
export class Subscribers {
  /** @type {Set<(a: A, b: B) => void>} one wrapper per subscription */
  #list = new Set();

  /**
   * @param {(a: A, b: B) => void} callback
   * @returns {() => void} unsubscribes
   */
  add(callback) {
    if (typeof callback !== 'function') throw configError('the callback must be a function');
    // A wrapper per subscription, so the same function subscribed twice is called twice.
    /** @type {(a: A, b: B) => void} */
    const entry = (a, b) => callback(a, b);
    this.#list.add(entry);
    return () => {
      this.#list.delete(entry);
    };
  }

  /**
   * @param {A} a
   * @param {B} [b]
   */
  emit(a, b) {
    for (const entry of [...this.#list]) {
      try {
        entry(a, /** @type {B} */ (b));
      } catch (e) {
        console.error('nexudus-auth: an event callback threw', e);
      }
    }
  }

  /** Drops every subscription. */
  clear() {
    this.#list.clear();
  }
}
