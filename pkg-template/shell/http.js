// nexudus-auth shell: HTTP. Sends the Machine's requests (with a deadline and a body cap) and the
// caller's own requests with the bearer token (auth.fetch).
import { timerDelay } from './clock.js';
import { AuthError } from './auth_error.js';
import { authError, configError, unreachable } from './errors.js';

/** Answers larger than this are refused (bad_response). */
const MAX_BODY_BYTES = 2 ** 20;

/**
 * A request the Machine built. A sign-in's or exchange's also carries what reading its answer
 * needs, handed back to the Machine with that answer (`onGrant`); `send` ignores those fields.
 * @typedef {object} MachineRequest
 * @property {string} method
 * @property {string} url
 * @property {Record<string, string>} headers
 * @property {string} [body]
 * @property {boolean} [signIn] a password sign-in (else an exchange)
 * @property {string} [clientId] the `client_id` the refresh token is bound to
 * @property {string} [email]
 * @property {number} [impersonating] the coworker an admin's exchange acts for (set by the shell)
 */

/**
 * An answer, as the Machine reads it (`onGrant`, `onRefresh`, `onAction`, `rebillyAnswer`...).
 * @typedef {object} Answer
 * @property {number} status
 * @property {string | null} retryAfter the Retry-After header, if any
 * @property {string} text the whole body
 */

/**
 * Runs `run(signal)` under a deadline: `signal` aborts after `timeoutMs`. What it throws that is
 * not an AuthError (a rejected fetch, an aborted read) becomes `timeout` once the deadline has
 * passed, else `network`.
 * @template T
 * @param {number} timeoutMs
 * @param {(signal: AbortSignal) => Promise<T>} run
 * @returns {Promise<T>}
 */
async function underDeadline(timeoutMs, run) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timerDelay(timeoutMs));
  try {
    return await run(controller.signal);
  } catch (e) {
    throw e instanceof AuthError ? e : timedOut ? authError('timeout', 'Timed out') : unreachable();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends a Machine request and reads the whole answer as text, all within `timeoutMs`.
 * A rejected fetch is `network`, the deadline is `timeout`, a body over 1 MiB `bad_response`.
 * @param {MachineRequest} request
 * @param {number} timeoutMs
 * @returns {Promise<Answer>}
 */
export function send(request, timeoutMs) {
  return underDeadline(timeoutMs, async (signal) => {
    let built;
    try {
      // The request's own fields are a RequestInit (method, headers, body; the others are ignored).
      built = new Request(request.url, { ...request, signal });
    } catch (_) {
      throw configError('invalid request');
    }
    const response = await fetch(built);
    const { status } = response;
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > MAX_BODY_BYTES) {
      throw authError('bad_response', 'Unexpected response: response too large', status);
    }
    return {
      status,
      retryAfter: response.headers.get('retry-after'),
      text: new TextDecoder().decode(bytes),
    };
  });
}

/**
 * Sends the caller's own Request with the bearer token; under a `timeoutMs` deadline (until the
 * headers arrive) unless the caller brought a signal of their own (`timeoutMs` null).
 * @param {Request} request
 * @param {string} token
 * @param {number | null} timeoutMs
 * @returns {Promise<Response>}
 */
export async function sendWithBearer(request, token, timeoutMs) {
  request.headers.set('authorization', `Bearer ${token}`);
  if (timeoutMs == null) {
    try {
      return await fetch(request);
    } catch (_) {
      throw unreachable();
    }
  }
  return underDeadline(timeoutMs, (signal) => fetch(new Request(request, { signal })));
}
