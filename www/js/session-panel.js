// The signed-in side of the member portal: who is signed in, the token's lifetime, the next
// background refresh, the onChange event log, and the session actions.
import {
  $,
  clearError,
  formatAt,
  formatCountdown,
  formatTime,
  h,
  initials,
  mask,
  setStatus,
  showError,
  toMs,
  withBusy,
} from './ui.js';
import { setupTeam } from './team.js';

const INVOICE_PATH = '/portal/invoices/1042';
const INVOICE_PDF_PATH = '/api/public/billing/invoices/1042/pdf';
const MAX_LOG = 50;

/**
 * @param {object} ctx
 * @param {import('/pkg/index.js').NexudusAuth} ctx.auth
 * @param {() => void} ctx.beforeSignOut called just before auth.signOut() (events may fire inside it)
 * @param {() => void} ctx.onSignedOut   re-render after "Sign out"
 * @param {() => void} ctx.onSwitched    re-render after "Sign in as…" / "Back to my account"
 */
export function setupSessionPanel({ auth, beforeSignOut, onSignedOut, onSwitched }) {
  const team = setupTeam({ auth, onSwitched });
  let ticker = null;
  let profileFor = null; // the access token the profile was loaded with (dedupes loads)

  // ----- profile -----
  async function loadProfile() {
    const session = auth.session;
    if (!session || profileFor === session.accessToken) return;
    profileFor = session.accessToken;
    $('profile-name').textContent = 'Loading your profile…';
    $('profile-email').textContent = '';
    $('profile-avatar').textContent = '…';
    try {
      const res = await auth.fetch('/api/public/billing/customer', { headers: { accept: 'application/json' } });
      if (!res.ok) {
        await res.text();
        throw new Error(`The profile request answered HTTP ${res.status}.`);
      }
      const customer = await res.json();
      // A sign-out or another sign-in may have happened meanwhile.
      if (!auth.session) return;
      const name = typeof customer?.FullName === 'string' && customer.FullName ? customer.FullName : 'Member';
      const email = typeof customer?.Email === 'string' ? customer.Email : '';
      $('profile-name').textContent = name;
      $('profile-email').textContent = email;
      $('profile-avatar').textContent = initials(name, email);
      team.setActingName(name);
    } catch (err) {
      profileFor = null;
      $('profile-name').textContent = 'Signed-in member';
      $('profile-avatar').textContent = '?';
      showError(err);
    }
  }

  // ----- facts and countdowns -----
  function tick() {
    const session = auth.session;
    if (!session) return;
    const now = Date.now();
    const expiresAt = toMs(session.expiresAt);
    $('fact-type').textContent = session.tokenType ? session.tokenType[0].toUpperCase() + session.tokenType.slice(1) : '—';
    $('fact-token').textContent = mask(session.accessToken);
    $('fact-expires').textContent = expiresAt <= now ? 'expired' : formatCountdown(expiresAt - now);
    $('fact-expires-at').textContent = formatAt(expiresAt);
    const next = auth.nextRefreshAt;
    if (next == null) {
      $('fact-refresh').textContent = 'not scheduled';
      $('fact-refresh-at').textContent = '';
    } else {
      const nextMs = toMs(next);
      $('fact-refresh').textContent = nextMs <= now ? 'due now' : formatCountdown(nextMs - now);
      $('fact-refresh-at').textContent = formatAt(nextMs);
    }
  }

  function show() {
    tick();
    loadProfile();
    team.update();
    if (!ticker) ticker = setInterval(tick, 1000);
  }

  function hide() {
    if (ticker) clearInterval(ticker);
    ticker = null;
    profileFor = null;
    team.hide();
  }

  // ----- event log -----
  function log(event, session) {
    const list = $('event-log');
    let note = '';
    if (event === 'SIGNED_OUT') note = 'session cleared';
    else if (session && Number.isFinite(toMs(session.expiresAt))) note = `valid until ${formatTime(toMs(session.expiresAt))}`;
    const item = h(
      'li',
      { class: 'log__item', dataset: { event } },
      h('time', { class: 'log__time', datetime: new Date().toISOString() }, formatTime(Date.now())),
      h('span', { class: `log__event log__event--${event}` }, event),
      h('span', { class: 'log__note' }, note),
    );
    list.prepend(item);
    while (list.children.length > MAX_LOG) list.lastElementChild.remove();
    $('event-log-empty').hidden = true;
  }

  // ----- actions -----
  $('refresh-now').addEventListener('click', () => {
    clearError();
    withBusy($('refresh-now'), 'Refreshing…', async () => {
      const s = await auth.refresh();
      tick();
      const until = toMs(s?.expiresAt ?? auth.session?.expiresAt);
      setStatus(Number.isFinite(until) ? `Session refreshed — the new token is valid until ${formatTime(until)}.` : 'Session refreshed.');
    });
  });

  $('open-invoice').addEventListener('click', () => {
    clearError();
    withBusy($('open-invoice'), 'Opening…', async () => {
      const url = await auth.authenticatedLink(INVOICE_PATH);
      setStatus('Opening invoice #1042 in the portal…', 'info');
      location.assign(url);
    });
  });

  $('download-pdf').addEventListener('click', () => {
    clearError();
    withBusy($('download-pdf'), 'Preparing…', async () => {
      // The browser fetches the file itself (no bearer header): the URL carries a short-lived media token.
      const url = await auth.mediaUrl(INVOICE_PDF_PATH);
      h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }).click();
      setStatus('Invoice #1042 (PDF) opened in a new tab. Its link works for about a minute.');
    });
  });

  $('sign-out').addEventListener('click', () => {
    clearError();
    beforeSignOut?.();
    try {
      auth.signOut();
    } catch (err) {
      showError(err);
      return;
    }
    onSignedOut();
  });

  return { show, hide, log, tick };
}
