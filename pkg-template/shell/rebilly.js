// nexudus-auth shell: class RebillyAuth, a Rebilly customer session from an authentication-token
// exchange (per tab, no refresh). The wasm builds the request and reads the answer.
import { rebillyAnswer, rebillyRequest, rebillyRestore } from './nexudus_auth.js';
import { now } from './clock.js';
import { configError } from './errors.js';
import { send } from './http.js';
import { optionalString, requireBrowser } from './options.js';
import { Store } from './store.js';
import { SIGNED_IN, SIGNED_OUT, Subscribers } from './subscribers.js';

/**
 * @import { RebillyAuthOptions, RebillyChangeEvent, RebillyExchangeOptions, RebillySession }
 *   from '../index.js'
 */

/**
 * The stored form of the session.
 * @typedef {RebillySession & { v: number }} StoredRebillySession
 */

const REBILLY_TIMEOUT_MS = 15000;

/** A Rebilly customer session. */
export class RebillyAuth {
  /** @type {{ baseUrl: string, publishableKey?: string }} what rebillyRequest needs */
  #options;
  /** @type {Store} */
  #store;
  /** @type {string | null} the session's stored form (rebillyAnswer, rebillyRestore) */
  #text;
  /** @type {Subscribers<string, RebillySession | null>} */
  #changes = new Subscribers();

  /**
   * @param {{ baseUrl: string, publishableKey?: string }} options
   * @param {Store} store
   * @param {string | null} text
   */
  constructor(options, store, text) {
    this.#options = options;
    this.#store = store;
    this.#text = text;
  }

  /**
   * Validates the options and restores an unexpired stored session.
   * @param {RebillyAuthOptions} options
   * @returns {Promise<RebillyAuth>}
   */
  static async create(options) {
    requireBrowser();
    if (options == null || typeof options !== 'object') {
      throw configError('options must be an object with baseUrl');
    }
    // The wasm checks baseUrl and publishableKey (the token here is a placeholder).
    rebillyRequest(options, 'x', undefined);
    const settings = { baseUrl: options.baseUrl, publishableKey: options.publishableKey };
    const key = optionalString(options, 'storageKey') ?? 'nexudus-auth-rebilly';
    const [store] = Store.open(options.storage, key);
    const [text] = await store.read();
    // An unreadable or expired stored session is removed.
    const restored = text == null ? undefined : rebillyRestore(text, now());
    if (restored == null) store.remove();
    return new RebillyAuth(settings, store, restored ?? null);
  }

  /**
   * Exchanges `token` (single use unless `invalidate` is false) and stores the JWT.
   * @param {string} token
   * @param {RebillyExchangeOptions | null} [options]
   * @returns {Promise<RebillySession | null>}
   */
  async exchange(token, options) {
    const request = rebillyRequest(this.#options, token, options);
    const answer = await send(request, REBILLY_TIMEOUT_MS);
    const text = rebillyAnswer(answer, now());
    // A storage that fails is ignored: the session stays in memory.
    await this.#store.write(text);
    this.#text = text;
    this.#emit(SIGNED_IN);
    return this.session;
  }

  /** @returns {RebillySession | null} `{token, expiresAt, customerId}`, or null (null once expired) */
  get session() {
    // the wasm decides expiry: rebillyRestore gives nothing once the token has expired
    const text = this.#text == null ? undefined : rebillyRestore(this.#text, now());
    if (text == null) return null;
    const s = /** @type {StoredRebillySession} */ (JSON.parse(text));
    return { token: s.token, expiresAt: s.expiresAt, customerId: s.customerId };
  }

  /** Forgets the session; fires SIGNED_OUT if there was one. */
  signOut() {
    const was = this.#text != null;
    this.#text = null;
    this.#store.remove();
    if (was) this.#emit(SIGNED_OUT);
  }

  /**
   * Calls `callback(event, session)` on exchange and sign-out.
   * @param {(event: RebillyChangeEvent, session: RebillySession | null) => void} callback
   * @returns {() => void} unsubscribes
   */
  onChange(callback) {
    return this.#changes.add(/** @type {(event: string, session: RebillySession | null) => void} */ (callback));
  }

  /** @param {string} event */
  #emit(event) {
    this.#changes.emit(event, this.session);
  }
}
