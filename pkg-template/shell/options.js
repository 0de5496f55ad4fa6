// nexudus-auth shell: checks of the caller's arguments that the Machine does not make.
import { configError } from './errors.js';

/** Throws invalid_config outside a browser (SSR): the client lives in a window. */
export function requireBrowser() {
  if (typeof window !== 'object' || !window) {
    throw configError('nexudus-auth needs a browser: create the client on the client side');
  }
}

/**
 * @param {unknown} value
 * @param {string} name the argument's name, for the message
 * @returns {string} `value`, if it is a non-empty string (else throws invalid_config)
 */
export function requireString(value, name) {
  if (typeof value !== 'string' || !value) {
    throw configError(`${name} must be a non-empty string`);
  }
  return value;
}

/**
 * @param {any} options an options object, or null / undefined
 * @param {string} name
 * @returns {string | null | undefined} `options[name]`: a string or absent (else throws invalid_config)
 */
export function optionalString(options, name) {
  const value = options?.[name];
  if (value != null && typeof value !== 'string') throw configError(`${name} must be a string`);
  return value;
}
