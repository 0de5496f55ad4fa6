// nexudus-auth shell: auth.fetch. The caller's request with `authorization: Bearer`, only to
// baseUrl's origin; on a 401 refreshed once and retried once.
import { authError, configError } from './errors.js';
import { sendWithBearer } from './http.js';
import { FORCED, accessToken, refresh } from './refresher.js';

/** @import { ClientState } from './state.js' */

/**
 * fetch with the bearer token; a 401 is refreshed and retried once (never a one-shot stream
 * body: then onWarning is told and the 401 returned as it came).
 * @param {ClientState} s
 * @param {RequestInfo | URL} input a URL (relative to baseUrl when it starts with '/') or Request
 * @param {RequestInit | null | undefined} init
 * @returns {Promise<Response>}
 */
export async function authorizedFetch(s, input, init) {
  const badInput = () => configError('fetch input must be a URL string, URL or Request');
  if (typeof input !== 'string' && !(input && typeof input === 'object')) throw badInput();
  let request;
  try {
    if (input instanceof Request) {
      request = init === undefined ? input.clone() : new Request(input, /** @type {RequestInit} */ (init));
    } else {
      const raw = String(input);
      // a path is joined to baseUrl by the Machine; anything else is a URL as the browser reads it
      const url = raw.startsWith('/') && !raw.startsWith('//') ? s.m.fetchUrl(raw) : raw;
      request = new Request(url, /** @type {RequestInit} */ (init));
    }
  } catch (_) {
    throw badInput();
  }
  // The Machine decides where the token may go: baseUrl's origin only (core::url::api_url), else
  // invalid_config. The browser has resolved and normalised request.url by now.
  s.m.fetchUrl(request.url);
  const oneShot = typeof ReadableStream === 'function' && init?.body instanceof ReadableStream;
  const retry = oneShot ? null : request.clone();
  const timeout = init?.signal !== undefined ? null : s.timeoutMs;

  const token = await accessToken(s);
  const response = await sendWithBearer(request, token, timeout);
  if (response.status !== 401) return response;
  if (!retry) {
    // The caller gets the 401 as it came; onWarning says why it was not retried.
    s.warn(authError('unauthorized', '401 not retried: the body was a one-shot stream'));
    return response;
  }
  const fresh = await refresh(s, FORCED);
  return sendWithBearer(retry, fresh.accessToken, timeout);
}
