// nexudus-auth shell: the Store, one storage slot (a storageKey) in the backend the caller chose:
// localStorage, sessionStorage, an adapter (sync or Promise-returning), or this tab's memory.
import { configError, storageWarning } from './errors.js';

/** @import { AuthError } from './auth_error.js' */
/** @import { StorageAdapter } from '../index.js' */

/** What the caller may pass as `storage` (undefined: 'local'). */
/** @typedef {'local' | 'session' | 'memory' | StorageAdapter | null | undefined} StorageChoice */

const FELL_BACK = "Storage is not usable here; the session is kept in this tab's memory only.";

/**
 * One storage slot. A backend that throws never loses the sign-in: the slot falls back to memory
 * and reports a warning.
 */
export class Store {
  /** @type {Storage | StorageAdapter | null} null: this tab's memory */
  #backend;
  /** @type {string | null} the value while in memory */
  #memory = null;
  /** @type {boolean} */
  #shared;
  /** @type {boolean} */
  #local;

  /**
   * @param {string} key the storage key
   * @param {Storage | StorageAdapter | null} backend
   * @param {boolean} shared whether other tabs see the backend
   * @param {boolean} local whether it is localStorage
   */
  constructor(key, backend, shared, local) {
    /** The storage key. */
    this.key = key;
    this.#backend = backend;
    this.#shared = shared;
    this.#local = local;
  }

  /**
   * Opens `choice` ('local' by default, 'session', 'memory' or an adapter); throws
   * invalid_config for an unknown choice.
   * @param {StorageChoice} choice
   * @param {string} key
   * @returns {[Store, AuthError | null]} the store and a warning (fell back to memory)
   */
  static open(choice, key) {
    const name = choice == null ? 'local' : choice;
    if (typeof name === 'string') {
      if (name === 'memory') return [new Store(key, null, false, false), null];
      if (name !== 'local' && name !== 'session') {
        throw configError("storage must be 'local', 'session', 'memory' or an adapter");
      }
      // Only localStorage is shared with the other tabs.
      const local = name === 'local';
      let storage = null;
      try {
        // Reading the property itself throws where cookies are blocked.
        storage = local ? window.localStorage : window.sessionStorage;
      } catch (_) {
        // storage stays null
      }
      if (!storage) return [new Store(key, null, false, false), storageWarning(FELL_BACK)];
      return [new Store(key, storage, local, local), null];
    }
    for (const method of /** @type {const} */ (['getItem', 'setItem', 'removeItem'])) {
      if (typeof (/** @type {any} */ (choice))?.[method] !== 'function') {
        throw configError('a storage adapter needs getItem, setItem and removeItem');
      }
    }
    return [new Store(key, /** @type {StorageAdapter} */ (choice), true, false), null];
  }

  /** Whether other tabs see this storage, so cross-tab sync applies. */
  get shared() {
    return this.#shared && this.#backend != null;
  }

  /** Whether this is localStorage, whose `storage` events announce other tabs' writes. */
  get local() {
    return this.#local && this.#backend != null;
  }

  /**
   * @param {string | null} value kept in memory from now on
   * @returns {AuthError} the warning to report
   */
  #fallBack(value) {
    this.#backend = null;
    this.#memory = value;
    return storageWarning(FELL_BACK);
  }

  /**
   * A throwing backend falls back to memory.
   * @returns {Promise<[string | null, AuthError | null]>} the value and a warning
   */
  async read() {
    if (!this.#backend) return [this.#memory, null];
    try {
      const value = await this.#backend.getItem(this.key);
      return [typeof value === 'string' ? value : null, null];
    } catch (_) {
      return [null, this.#fallBack(null)];
    }
  }

  /**
   * Stores `value`; a throwing backend keeps it in memory.
   * @param {string} value
   * @returns {Promise<AuthError | null>} a warning
   */
  async write(value) {
    if (!this.#backend) {
      this.#memory = value;
      return null;
    }
    try {
      await this.#backend.setItem(this.key, value);
      return null;
    } catch (_) {
      return this.#fallBack(value);
    }
  }

  /**
   * Removes the value, synchronously for the built-in storages (so signOut() has cleared storage
   * when it returns); an adapter's Promise finishes on its own, its rejection handled.
   * @returns {AuthError | null} a warning
   */
  remove() {
    if (!this.#backend) {
      this.#memory = null;
      return null;
    }
    try {
      const pending = /** @type {any} */ (this.#backend.removeItem(this.key));
      if (typeof pending?.then === 'function') pending.then(null, () => {});
      return null;
    } catch (_) {
      return this.#fallBack(null);
    }
  }
}
