// nexudus-auth shell: class NexudusAuth, the public verbs. Each verb checks its arguments, asks
// the Machine for the request, sends it and hands the answer back; the client's state and the
// shared steps are in ClientState (state.js), refreshing in refresher.js.
import { Machine } from './nexudus_auth.js';
import { jitter, now } from './clock.js';
import { configError, notSignedIn, storageWarning } from './errors.js';
import { requireBrowser, requireString } from './options.js';
import { Store } from './store.js';
import { SIGNED_IN, SIGNED_OUT } from './subscribers.js';
import { ClientState } from './state.js';
import { FORCED, accessToken, refresh } from './refresher.js';
import { authorizedFetch } from './authorized-fetch.js';

/** @import { MachineRequest } from './http.js' */
/**
 * @import { AuthChangeEvent, CompletePasswordResetOptions, ExchangeOptions, NexudusAuthOptions,
 *   Session, SignInOptions } from '../index.js'
 */

// The calls that change no session, numbered as the Machine's bearerRequest and onAction take them.
const ONE_TIME_TOKEN = 0;
const START_RESET = 1;
const COMPLETE_RESET = 2;
const MEDIA_TOKEN = 3;
const IMPERSONATION_TOKEN = 4;

/** A Nexudus sign-in client for one storage key. */
export class NexudusAuth {
  /** @type {ClientState} */
  #s;
  /** @type {Machine} the client's Machine (`#s.m`) */
  #m;
  /** @type {ReturnType<typeof setTimeout> | undefined} create()'s announcement of its warnings */
  #announce;

  /** @param {ClientState} state */
  constructor(state) {
    this.#s = state;
    this.#m = state.m;
  }

  /**
   * Validates the options, restores a stored session and starts keeping it fresh.
   * @param {NexudusAuthOptions} options
   * @returns {Promise<NexudusAuth>}
   */
  static async create(options) {
    requireBrowser();
    const machine = new Machine(options); // every option is validated here (invalid_config)
    const key = machine.storageKey();
    const [store, openWarning] = Store.open(options.storage, key);
    const [aside] = Store.open(options.storage, `${key}:admin`);
    const s = new ClientState(machine, store, aside, options);
    const client = new NexudusAuth(s);
    const [text, readWarning] = await store.read();
    let discarded = false;
    if (text != null) {
      try {
        machine.restore(text, now(), jitter());
      } catch (_) {
        store.remove();
        discarded = true;
      }
    }
    s.listen();
    s.wakeups.start();
    // Callers subscribe right after create() resolves: announce on a fresh task.
    client.#announce = setTimeout(() => {
      for (const warning of [openWarning, readWarning]) if (warning) s.warn(warning);
      if (discarded) {
        s.warn(storageWarning('The stored session was unreadable and has been discarded.'));
        s.emit(SIGNED_OUT);
      }
    }, 0);
    return client;
  }

  // ------------------------------------------------------------------------------- getters

  /** @returns {Session | null} `{accessToken, tokenType, expiresAt}`, or null */
  get session() {
    return this.#m.session();
  }

  /** @returns {number | null} when the next background refresh (or retry) is due, or null */
  get nextRefreshAt() {
    return this.#s.wakeups.nextAt;
  }

  /** @returns {number | null} the coworker id being acted for, or null */
  get impersonating() {
    return this.#m.impersonating() ?? null;
  }

  // ------------------------------------------------------------------------------- sign-in

  /**
   * Password sign-in (`POST /api/token`). Fires SIGNED_IN.
   * @param {SignInOptions} credentials
   * @returns {Promise<Session>}
   */
  async signIn(credentials) {
    await this.#granted(this.#m.signInRequest(credentials));
    return this.#s.establish(SIGNED_IN);
  }

  /**
   * One-time JWT exchange (magic link, sign-up, reset). Fires SIGNED_IN.
   * @param {string} jwt
   * @param {ExchangeOptions | null} [options]
   * @returns {Promise<Session>}
   */
  async exchangeToken(jwt, options) {
    await this.#granted(this.#m.exchangeRequest(jwt, options));
    return this.#s.establish(SIGNED_IN);
  }

  /**
   * Sends a sign-in or exchange and makes its session the Machine's, reading the answer with what
   * the call carries (`signIn`, `clientId`, `email`, and the coworker an admin acts for,
   * `impersonating`): concurrent calls never mix.
   * @param {MachineRequest} request
   * @returns {Promise<void>}
   */
  async #granted(request) {
    const answer = await this.#s.send(request);
    this.#m.onGrant(request, answer, now(), jitter());
  }

  // ------------------------------------------------------------------------------- tokens

  /** Refreshes now (once across every tab that shares the storage). @returns {Promise<Session>} */
  async refresh() {
    return refresh(this.#s, FORCED);
  }

  /**
   * The access token, refreshed first when due (a still-valid token survives a failed refresh).
   * @returns {Promise<string>}
   */
  async getAccessToken() {
    return accessToken(this.#s);
  }

  /**
   * fetch with `authorization: Bearer`, only to baseUrl's origin; on a 401 refreshed once and
   * retried once (authorized-fetch.js).
   * @param {RequestInfo | URL} input
   * @param {RequestInit | null} [init]
   * @returns {Promise<Response>}
   */
  async fetch(input, init) {
    return authorizedFetch(this.#s, input, init);
  }

  // ------------------------------------------------------------------------------- links

  /**
   * `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` with a fresh one-time token.
   * @param {string} redirectUrl
   * @returns {Promise<string>}
   */
  async authenticatedLink(redirectUrl) {
    requireString(redirectUrl, 'redirectUrl');
    return this.#link(true, redirectUrl);
  }

  /**
   * `${portalUrl}/login?t=…[&redirectUrl=…]`.
   * @param {string | null} [redirectUrl]
   * @returns {Promise<string>}
   */
  async portalLoginUrl(redirectUrl) {
    return this.#link(false, redirectUrl == null ? undefined : requireString(redirectUrl, 'redirectUrl'));
  }

  /**
   * A portal link with a one-time token (`POST /api/sys/users/token/refresh`), the redirect checked
   * by the Machine before any request.
   * @param {boolean} authenticated authenticatedLink (else portalLoginUrl)
   * @param {string | undefined} redirect
   * @returns {Promise<string>}
   */
  async #link(authenticated, redirect) {
    const m = this.#m;
    m.link(authenticated, '', redirect);
    return m.link(authenticated, await this.#bearerToken(ONE_TIME_TOKEN), redirect);
  }

  /**
   * The file URL on the API with a short-lived media JWT as `t`.
   * @param {string} path
   * @returns {Promise<string>}
   */
  async mediaUrl(path) {
    requireString(path, 'path');
    const m = this.#m;
    m.fetchUrl(path); // the path is checked before any request
    return m.mediaUrl(path, await this.#bearerToken(MEDIA_TOKEN));
  }

  /**
   * The token a bearer call gives, the request sent with a fresh access token (the Machine throws
   * bad_response when the answer has none).
   * @param {number} kind ONE_TIME_TOKEN, MEDIA_TOKEN or IMPERSONATION_TOKEN (of coworker `id`)
   * @param {number} [id]
   * @returns {Promise<string>}
   */
  async #bearerToken(kind, id) {
    await this.getAccessToken();
    const m = this.#m;
    return /** @type {string} */ (m.onAction(kind, await this.#s.send(m.bearerRequest(kind, id))));
  }

  // ------------------------------------------------------------------------------- impersonation

  /**
   * A team admin acts for a member: the admin's session is kept aside (never exposed), the
   * member's becomes current in every tab. A refusal changes nothing.
   * @param {number} coworkerId
   * @returns {Promise<Session>}
   */
  async impersonate(coworkerId) {
    const s = this.#s;
    s.m.bearerRequest(IMPERSONATION_TOKEN, coworkerId); // checks coworkerId and the sign-in before any request
    if (this.impersonating != null) {
      throw configError('stop impersonating before acting for another member');
    }
    const jwt = await this.#bearerToken(IMPERSONATION_TOKEN, coworkerId);
    const admin = s.m.sessionText();
    if (admin == null) throw notSignedIn();
    await this.#granted({ ...s.m.exchangeRequest(jwt, undefined), impersonating: coworkerId });
    const warning = await s.aside.write(admin);
    if (warning) s.warn(warning);
    return s.establish(SIGNED_IN);
  }

  /**
   * Drops the member's session and restores the admin's (refreshed first when due, aside: the
   * admin's session becomes current only once it is good).
   * @returns {Promise<Session>}
   */
  async stopImpersonating() {
    if (this.impersonating == null) throw configError('not impersonating');
    const s = this.#s;
    const m = s.m;
    let [admin] = await s.aside.read();
    if (admin == null) throw notSignedIn();
    const request = m.asideRefreshRequest(admin, now());
    if (request) {
      const answer = await s.send(request);
      admin = m.asideRotated(admin, answer, now());
    }
    m.restore(admin, now(), jitter());
    s.aside.remove();
    return s.establish(SIGNED_IN);
  }

  // ------------------------------------------------------------------------------- password reset

  /**
   * Asks for a reset email; resolves the same whether or not the email exists.
   * @param {string} email
   * @param {number | null} [businessId]
   * @returns {Promise<void>}
   */
  async startPasswordReset(email, businessId) {
    const answer = await this.#s.send(this.#m.resetRequest(true, email, businessId));
    this.#m.onAction(START_RESET, answer);
  }

  /**
   * Sets the new password, then exchanges the returned one-time JWT at once.
   * @param {CompletePasswordResetOptions} options
   * @returns {Promise<Session>}
   */
  async completePasswordReset(options) {
    const answer = await this.#s.send(this.#m.resetRequest(false, options, undefined));
    // the Machine throws bad_response when the answer has no JWT
    return this.exchangeToken(/** @type {string} */ (this.#m.onAction(COMPLETE_RESET, answer)));
  }

  // ------------------------------------------------------------------------------- sign-out, events

  /** Signs out here and in every tab that shares the storage (synchronous, no request). */
  signOut() {
    this.#s.clear(this.#m.session() != null);
  }

  /**
   * Calls `callback(event, session)` on every sign-in, refresh and sign-out (in any tab).
   * @param {(event: AuthChangeEvent, session: Session | null) => void} callback
   * @returns {() => void} unsubscribes
   */
  onChange(callback) {
    return this.#s.changes.add(/** @type {(event: string, session: Session | null) => void} */ (callback));
  }

  /**
   * Calls `callback(warning)` for problems that lose nothing, e.g. storage fell back to memory.
   * @param {(warning: import('./auth_error.js').AuthError) => void} callback
   * @returns {() => void} unsubscribes
   */
  onWarning(callback) {
    return this.#s.warnings.add(callback);
  }

  /** Stops the timer and removes every listener and callback. */
  dispose() {
    const s = this.#s;
    s.disposed = true;
    s.wakeups.stop();
    clearTimeout(this.#announce);
    s.listeners.abort(); // also closes the BroadcastChannel
    s.changes.clear();
    s.warnings.clear();
  }
}
