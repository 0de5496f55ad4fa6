// nexudus-auth shell: the AuthErrors the shell raises itself (the Machine throws its own).
import { AuthError } from './auth_error.js';

/** @import { AuthErrorCode } from '../index.js' */

/**
 * @param {AuthErrorCode} code the contract code, e.g. 'network'
 * @param {string} message
 * @param {number | null} [status] the HTTP status when a server answered
 * @returns {AuthError}
 */
export const authError = (code, message, status = null) => new AuthError(code, message, status, null);

/**
 * @param {string} message
 * @returns {AuthError} an `invalid_config` error: the caller used the API wrongly
 */
export const configError = (message) => authError('invalid_config', message);

/** @returns {AuthError} */
export const notSignedIn = () => authError('unauthorized', 'Not signed in');

/** @returns {AuthError} no answer: the request failed or the server could not be reached */
export const unreachable = () => authError('network', 'Server unreachable');

/**
 * @param {string} message
 * @returns {AuthError} a `storage` warning (onWarning): nothing was lost
 */
export const storageWarning = (message) => authError('storage', message);

/**
 * Anything thrown that is not already an AuthError (a bug, a browser quirk) becomes one.
 * @param {unknown} e
 * @returns {AuthError}
 */
export const asAuthError = (e) => (e instanceof AuthError ? e : unreachable());
