// nexudus-auth shell: one client's state, shared by its parts (NexudusAuth's verbs, the
// refresher's functions, the Wakeups), and the steps they all take when the session changes: store it, tell
// the other tabs, announce it to the subscribers.
import { jitter, now, timerDelay } from './clock.js';
import { followOtherTabs } from './broadcast.js';
import { send } from './http.js';
import { ledgerSet } from './ledger.js';
import { SIGNED_OUT, Subscribers, TOKEN_REFRESHED } from './subscribers.js';
import { Wakeups } from './wakeup.js';

/** @import { Machine } from './nexudus_auth.js' */
/** @import { AuthError } from './auth_error.js' */
/** @import { Store } from './store.js' */
/** @import { Answer, MachineRequest } from './http.js' */
/** @import { NexudusAuthOptions, Session } from '../index.js' */

/** The state of one NexudusAuth (internal: never handed to the caller). */
export class ClientState {
  /** @type {string[]} events held back while this tab holds the refresh lock */
  #queued = [];
  /** @type {(() => void)[]} resolvers of callers waiting for another tab's update */
  #waiters = [];
  /** @type {(message: string) => void} posts to the other tabs (followOtherTabs) */
  #post = () => {};
  /** @type {Subscribers<string, Session | null>} onChange */
  changes = new Subscribers();
  /** @type {Subscribers<AuthError, undefined>} onWarning */
  warnings = new Subscribers();
  /** Events wait while this tab holds the refresh lock. */
  holding = false;
  disposed = false;
  /** Aborted by dispose(): removes every listener, closes the channel. */
  listeners = new AbortController();
  /** @type {Promise<void> | null} the refresh in flight in this tab (refresher.js) */
  flight = null;
  /** @type {AuthError | null} the last failed refresh, for on-demand callers while backing off */
  lastFailure = null;
  wakeups = new Wakeups(this);

  /**
   * @param {Machine} m
   * @param {Store} store the session's slot
   * @param {Store} aside the admin's session while impersonating
   * @param {NexudusAuthOptions} options
   */
  constructor(m, store, aside, options) {
    /** The Machine: every decision. */
    this.m = m;
    this.store = store;
    this.aside = aside;
    this.key = store.key;
    /** @type {number} */
    this.timeoutMs = options.timeoutMs ?? 15000;
    /** @type {boolean} */
    this.autoRefresh = options.autoRefresh ?? true;
  }

  /**
   * Sends a Machine request under the client's timeout.
   * @param {MachineRequest} request
   * @returns {Promise<Answer>}
   */
  send(request) {
    return send(request, this.timeoutMs);
  }

  /** Follows the other tabs (BroadcastChannel and, for localStorage, `storage` events). */
  listen() {
    this.#post = followOtherTabs(this.store, this.key, this.listeners.signal, (text, hint) =>
      this.adopt(text, hint),
    );
  }

  /**
   * The Machine's session is new: store it (and commit it to the ledger before a refresh lock is
   * released), tell the other tabs, fire `event`.
   * @param {string} event
   * @returns {Promise<Session>}
   */
  async establish(event) {
    const text = /** @type {string} */ (this.m.sessionText());
    const warning = await this.store.write(text);
    if (warning) this.warn(warning);
    if (this.store.shared) await ledgerSet(this.key, text);
    this.#post((event === TOKEN_REFRESHED ? 'R' : 'I') + text);
    this.changed();
    this.emit(event);
    return this.m.session();
  }

  /**
   * Clears session, storage, ledger and the admin's session; tells the other tabs.
   * @param {boolean} wasSignedIn fire SIGNED_OUT
   */
  clear(wasSignedIn) {
    const warning = this.store.remove();
    if (warning) this.warn(warning);
    if (this.store.shared) ledgerSet(this.key, null);
    this.aside.remove();
    this.m.signOut(now());
    this.#post('O');
    this.changed();
    if (wasSignedIn) this.emit(SIGNED_OUT);
  }

  /**
   * Another tab changed the session: adopt it and fire the event the Machine chooses.
   * @param {string | null} text its session text (null: signed out)
   * @param {string} hint the event its message stands for
   */
  adopt(text, hint) {
    if (this.disposed) return;
    this.adopted(this.m.adopt(text, hint, now(), jitter()));
  }

  /**
   * Another tab's session was adopted: fire the Machine's event, if any.
   * @param {string | undefined} event
   */
  adopted(event) {
    this.changed();
    if (event) this.emit(event);
  }

  /** The session changed: wake callers waiting for an update, re-arm the timer. */
  changed() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
    this.wakeups.rearm();
  }

  /**
   * Resolves when another tab's update arrives, or after `ms`.
   * @param {number} ms
   * @returns {Promise<void>}
   */
  waitForUpdate(ms) {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      setTimeout(resolve, timerDelay(ms));
    });
  }

  /**
   * Fires `event` to onChange, or queues it while the refresh lock is held.
   * @param {string} event
   */
  emit(event) {
    if (this.holding) {
      this.#queued.push(event);
      return;
    }
    this.changes.emit(event, this.m.session());
  }

  /** Releases the refresh lock's hold on events and fires what was queued. */
  release() {
    this.holding = false;
    const queued = this.#queued;
    this.#queued = [];
    for (const event of queued) this.emit(event);
  }

  /** @param {AuthError} warning told to onWarning */
  warn(warning) {
    this.warnings.emit(warning);
  }
}
