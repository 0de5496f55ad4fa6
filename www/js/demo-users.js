// The "Demo accounts" side panel, from the mock's GET /mock/users. The two-step user's current
// code is shown and kept fresh, the way an authenticator app would show it.
import { API_ORIGIN } from './api.js';
import { $, h } from './ui.js';

const KINDS = {
  password: { label: 'Password', pill: 'pill' },
  totp: { label: 'Two-step verification', pill: 'pill pill--brand' },
  must_reset: { label: 'Must change password', pill: 'pill pill--warn' },
  suspended: { label: 'Suspended', pill: 'pill pill--danger' },
};
const POLL_MS = 5000;

/** @param {{ onUse: (user: object, currentCode: string|null) => void }} ctx */
export function setupDemoUsers({ onUse }) {
  const list = $('demo-users');
  const codes = new Map(); // email -> { el, code }
  let timer = null;

  async function load() {
    let users;
    try {
      const res = await fetch(`${API_ORIGIN}/mock/users`, { headers: { accept: 'application/json' } });
      users = await res.json();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (!Array.isArray(users)) throw new Error('not a list');
    } catch {
      list.replaceChildren(h('li', { class: 'users__loading muted' }, 'Demo accounts are unavailable (is the mock server running?).'));
      return;
    }
    list.replaceChildren(...users.map(renderUser));
    if (codes.size && !timer) {
      timer = setInterval(refreshCodes, POLL_MS);
      setInterval(tickLeft, 1000);
      tickLeft();
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') refreshCodes();
      });
    }
  }

  function renderUser(user) {
    const kind = KINDS[user.kind] ?? { label: user.kind ?? 'Account', pill: 'pill' };
    const kindLine = h('span', { class: 'user__kind' }, h('span', { class: kind.pill }, kind.label));
    let otpLine = null;
    if (user.kind === 'totp') {
      const codeEl = h('span', { class: 'user__code', dataset: { totpFor: user.email } }, user.totp ?? '······');
      const leftEl = h('span', { class: 'user__otp-left', 'aria-hidden': 'true' });
      codes.set(user.email, { el: codeEl, code: user.totp ?? null, leftEl });
      otpLine = h('span', { class: 'user__otp' }, h('span', {}, 'Authenticator code'), codeEl, leftEl);
    }
    const btn = h(
      'button',
      { type: 'button', class: 'btn btn--secondary btn--small', 'aria-label': `Use ${user.email}`, dataset: { email: user.email } },
      'Use',
    );
    btn.addEventListener('click', () => onUse(user, codes.get(user.email)?.code ?? null));
    const who = h('span', { class: 'user__email' }, user.email);
    if (typeof user.name === 'string' && user.name) who.prepend(h('span', { class: 'user__name' }, user.name));
    return h('li', { class: 'user', dataset: { kind: user.kind ?? '' } }, who, kindLine, btn, otpLine);
  }

  async function refreshCodes() {
    if (document.visibilityState === 'hidden') return;
    for (const [email, entry] of codes) {
      try {
        const res = await fetch(`${API_ORIGIN}/mock/totp/${encodeURIComponent(email)}`, { headers: { accept: 'application/json' } });
        const body = await res.json().catch(() => null);
        if (!res.ok || !body) continue;
        const { code } = body;
        if (typeof code === 'string' && code !== entry.code) {
          entry.code = code;
          entry.el.textContent = code;
        }
      } catch {
        /* the panel is a hint; a missed poll is harmless */
      }
    }
  }

  // Seconds left in the current 30-second TOTP window; poll at once when a new window starts.
  let lastStep = Math.floor(Date.now() / 30000);
  function tickLeft() {
    const now = Date.now();
    const left = 30 - (Math.floor(now / 1000) % 30);
    for (const { leftEl } of codes.values()) leftEl.textContent = `${left}s`;
    const step = Math.floor(now / 30000);
    if (step !== lastStep) {
      lastStep = step;
      setTimeout(refreshCodes, 300);
    }
  }

  load();
  return { reload: load };
}
