// nexudus-auth shell: when to look at the schedule. The refresh timer (armed for the Machine's
// next deadline) and the wake-up listeners (focus, online, pageshow, a visible page), which catch
// what throttled timers and sleeping machines miss.
import { now, timerDelay } from './clock.js';
import { kick } from './refresher.js';

/** @import { ClientState } from './state.js' */

/** The timer and the wake-up listeners of one client. */
export class Wakeups {
  /** @type {ClientState} */
  #s;
  /** @type {ReturnType<typeof setTimeout> | 0} */
  #timer = 0;
  /** @type {number | null} the deadline the timer is armed for (NaN: it fired) */
  #timerAt = null;

  /** @param {ClientState} s */
  constructor(s) {
    this.#s = s;
  }

  /**
   * When the next background refresh (or retry) is due, or null.
   * @returns {number | null}
   */
  get nextAt() {
    const s = this.#s;
    if (!s.autoRefresh || s.disposed) return null;
    return s.m.pollTimeout() ?? null;
  }

  /** Adds the wake-up listeners (until the client's listeners signal aborts) and arms the timer. */
  start() {
    const wake = () => this.#wake();
    const options = { signal: this.#s.listeners.signal };
    for (const type of ['focus', 'online', 'pageshow']) window.addEventListener(type, wake, options);
    if (typeof document === 'object') {
      document.addEventListener(
        'visibilitychange',
        () => {
          if (document.visibilityState === 'visible') wake();
        },
        options,
      );
    }
    this.rearm();
  }

  /** Arms the timer for the Machine's next deadline (only when it changed). */
  rearm() {
    const at = this.nextAt;
    if (at === this.#timerAt) return;
    this.stop();
    this.#timerAt = at;
    if (at == null) return;
    this.#timer = setTimeout(() => {
      // A fired timer forgets its deadline, so a not-yet-due wake-up re-arms it.
      this.#timerAt = NaN;
      this.#wake();
    }, timerDelay(at - now()));
  }

  /** Stops the timer. */
  stop() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#timerAt = null;
  }

  /** The timer fired or the page woke up: ask the Machine, refresh in the background if due. */
  #wake() {
    const s = this.#s;
    if (s.disposed || !s.autoRefresh) return;
    if (s.m.handleTimeout(now())) kick(s);
    this.rearm();
  }
}
