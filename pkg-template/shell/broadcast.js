// nexudus-auth shell: messages between the tabs that share a storage. A BroadcastChannel carries
// 'I' + session (signed in), 'R' + session (refreshed) and 'O' (signed out); localStorage's own
// `storage` events announce other tabs' writes too.
import { SIGNED_IN, SIGNED_OUT, TOKEN_REFRESHED } from './subscribers.js';

/** @import { Store } from './store.js' */

/**
 * Follows the other tabs until `signal` aborts, calling `adopt(text, hint)` for what they wrote
 * (text null: signed out; hint: the event the message stands for).
 * @param {Store} store
 * @param {string} key the storage key
 * @param {AbortSignal} signal closes the channel and removes the listener
 * @param {(text: string | null, hint: string) => void} adopt
 * @returns {(message: string) => void} posts a message to the other tabs (a no-op without a
 *   channel)
 */
export function followOtherTabs(store, key, signal, adopt) {
  /** @type {BroadcastChannel | null} */
  let channel = null;
  const post = (/** @type {string} */ message) => {
    if (!channel) return;
    try {
      channel.postMessage(message);
    } catch (_) {
      // a closed channel: the other tabs still see the storage
    }
  };
  if (!store.shared) return post;
  if (store.local) {
    window.addEventListener(
      'storage',
      (event) => {
        if (event.key !== key) return;
        // Removed, or unreadable (what a reload would discard too): signed out.
        adopt(event.newValue, SIGNED_IN);
      },
      { signal },
    );
  }
  if (typeof BroadcastChannel !== 'function') return post;
  try {
    channel = new BroadcastChannel(`nexudus-auth:${key}`);
  } catch (_) {
    return post;
  }
  channel.onmessage = (event) => {
    const data = event.data;
    if (typeof data !== 'string') return;
    const rest = data.slice(1);
    if (data[0] === 'I') adopt(rest, SIGNED_IN);
    else if (data[0] === 'R') adopt(rest, TOKEN_REFRESHED);
    else if (data[0] === 'O') adopt(null, SIGNED_OUT);
  };
  signal.addEventListener('abort', () => {
    /** @type {BroadcastChannel} */ (channel).close();
    channel = null;
  });
  return post;
}
