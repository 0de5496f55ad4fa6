// nexudus-auth shell: refreshing. One refresh per tab at a time (concurrent callers share the
// flight, ClientState.flight), once across the tabs that share the storage (a Web Lock, the
// ledger, a brief wait for the previous holder's message), and the failure handed to on-demand
// callers while the Machine's schedule backs off (ClientState.lastFailure). Functions of the
// client's state.
import { AuthError } from './auth_error.js';
import { jitter, now } from './clock.js';
import { asAuthError, notSignedIn, unreachable } from './errors.js';
import { ledgerGet } from './ledger.js';
import { acquireLock } from './lock.js';
import { TOKEN_REFRESHED } from './subscribers.js';

/** @import { ClientState } from './state.js' */
/** @import { Session } from '../index.js' */

/** Why a refresh is attempted (the Machine's `mode`). */
export const ON_DEMAND = 0; // a caller needs a token: only when due, not while backing off
export const SCHEDULED = 1; // the timer or a wake-up decided it is time
export const FORCED = 2; // refresh() or a 401: always, unless another tab just did it

/** How long a tab that waited for the lock waits for the previous holder's message. */
const HANDOFF_WAIT_MS = 750;
/** A holder that does not release the lock within timeoutMs + this is presumed frozen. */
const LOCK_GRACE_MS = 5000;

/**
 * The access token, refreshed first when due. A failed refresh is an error only once the token
 * has expired; until then the still-valid token is returned.
 * @param {ClientState} s
 * @returns {Promise<string>}
 */
export async function accessToken(s) {
  const m = s.m;
  if (m.needsRefresh(now())) {
    try {
      await refresh(s, ON_DEMAND);
    } catch (e) {
      if (!m.tokenValid(now())) throw e;
    }
  }
  return current(s).accessToken;
}

/**
 * Refreshes (as `mode` allows), joining the flight in progress if there is one.
 * @param {ClientState} s
 * @param {number} mode ON_DEMAND, SCHEDULED or FORCED
 * @returns {Promise<Session>} the session afterwards
 */
export async function refresh(s, mode) {
  if (!s.flight) {
    const flight = run(s, mode).finally(() => {
      if (s.flight === flight) s.flight = null;
    });
    s.flight = flight;
  }
  await s.flight;
  return current(s);
}

/**
 * Starts a refresh in the background (timer, wake-up) unless one is in flight.
 * @param {ClientState} s
 */
export function kick(s) {
  if (!s.flight) refresh(s, SCHEDULED).catch(() => {});
}

/**
 * @param {ClientState} s
 * @returns {Session} the current session (throws `unauthorized` if signed out)
 */
function current(s) {
  const session = s.m.session();
  if (!session) throw notSignedIn();
  return session;
}

/**
 * One refresh: the Machine's go-ahead, the lock (when the storage is shared), the work under it;
 * events wait until the lock is released.
 * @param {ClientState} s
 * @param {number} mode
 * @returns {Promise<void>}
 */
async function run(s, mode) {
  const m = s.m;
  // The Machine checks the back-off, enters the refreshing phase and keeps the session it began
  // with and, after the lock, the copy it refreshes (it decides whether the answer still counts).
  const go = m.beginRefresh(mode, now());
  if (go === 0) return;
  if (go === 2) throw s.lastFailure || unreachable();

  let lock = null;
  if (s.store.shared) {
    lock = await acquireLock(`nexudus-auth:${s.key}:${m.clientId()}`, s.timeoutMs + LOCK_GRACE_MS);
  }
  s.holding = !!lock;
  let failure = null;
  try {
    await underLock(s, mode === FORCED, !!lock?.waited);
  } catch (e) {
    failure = asAuthError(e);
  }
  s.lastFailure = failure;
  if (lock) lock.release();
  m.settle(now(), jitter());
  s.wakeups.rearm();
  s.release();
  if (failure) throw failure;
}

/**
 * Under the lock: adopt another tab's rotation, or send the refresh and keep its answer.
 * @param {ClientState} s
 * @param {boolean} forced
 * @param {boolean} waited whether another tab held the lock first
 * @returns {Promise<void>}
 */
async function underLock(s, forced, waited) {
  const m = s.m;
  let fresh = await freshest(s);
  // A tab that waited for the lock and still sees the old session may have read localStorage
  // before the previous holder's write landed: wait briefly for its message.
  if (m.waitForHandoff(fresh, waited)) {
    await s.waitForUpdate(HANDOFF_WAIT_MS);
    fresh = await freshest(s);
  }
  const verdict = m.afterLock(fresh, forced, waited, now(), jitter());
  if (verdict === 'out') throw notSignedIn();
  if (verdict !== 'refresh') {
    s.adopted(verdict);
    return;
  }

  // The grant of `fresh` (this tab's session or another tab's fresher copy): the copy becomes
  // this tab's only with a good answer, and only while this tab still holds it or the session the
  // refresh began with (the Machine decides: a sign-out stays signed out, another sign-in is not
  // overwritten).
  let answer;
  try {
    answer = await s.send(m.refreshRequest());
  } catch (e) {
    // No answer: a transient failure for the scheduler, which backs off.
    m.refreshFailed(now(), jitter());
    throw e;
  }
  try {
    if (m.onRefresh(answer, now(), jitter()) === null) return; // another sign-in arrived: it stays
  } catch (e) {
    if (!(e instanceof AuthError) || e.code !== 'session_expired') throw e;
    // Lost a rotation race with a tab we could not see yet? Then keep the newer session.
    const held = m.sessionText();
    await s.waitForUpdate(HANDOFF_WAIT_MS / 3);
    if (m.sessionText() !== held) return; // another tab's message arrived and was adopted
    const event = m.afterLostRotation(await freshest(s), now(), jitter());
    if (event != null) {
      s.adopted(event);
      return;
    }
    s.clear(true);
    throw e;
  }
  await s.establish(TOKEN_REFRESHED);
}

/**
 * The stored text of the freshest session this tab can see (the Machine decides): its own,
 * the stored copy or the last lock holder's ledger entry.
 * @param {ClientState} s
 * @returns {Promise<string | undefined>}
 */
async function freshest(s) {
  if (!s.store.shared) return s.m.freshest(undefined, undefined);
  const [[stored], ledger] = await Promise.all([s.store.read(), ledgerGet(s.key)]);
  return s.m.freshest(stored, ledger);
}
