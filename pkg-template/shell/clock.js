// nexudus-auth shell: the clock and the randomness handed to the Machine, and timer delays.

/** Browsers keep timeouts as a signed 32-bit number of ms; a longer delay fires at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** @returns {number} the Machine's `now`: ms since the epoch */
export const now = () => Date.now();

/** @returns {number} the Machine's `jitter`: uniform in [0, 1) */
export const jitter = () => Math.random();

/**
 * A delay for setTimeout: rounded up and clamped to what browsers accept.
 * @param {number} ms
 * @returns {number}
 */
export const timerDelay = (ms) => Math.min(Math.max(Math.ceil(ms), 0), MAX_DELAY_MS);
