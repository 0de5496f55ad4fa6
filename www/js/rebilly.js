// The "Billing (Rebilly)" tab: exchange a Rebilly authentication token for a customer session.
import { API_ORIGIN } from './api.js';
import { $, clearError, formatAt, formatCountdown, mask, setStatus, showError, showProblem, toMs, withBusy } from './ui.js';

export const REBILLY_ORG = 'demo-org';
export const REBILLY_PUBLISHABLE_KEY = 'pk_sandbox_demo';

/**
 * @param {object} ctx
 * @param {typeof import('/pkg/index.js').RebillyAuth} ctx.RebillyAuth
 */
export function setupRebilly({ RebillyAuth }) {
  let rebilly = null;
  let ticker = null;
  let createError = null;

  const ready = RebillyAuth.create({
    baseUrl: `${API_ORIGIN}/rebilly/organizations/${REBILLY_ORG}`,
    publishableKey: REBILLY_PUBLISHABLE_KEY,
  }).then(
    (r) => {
      rebilly = r;
      r.onChange(() => render());
      render();
      return r;
    },
    (err) => {
      createError = err;
      return null;
    },
  );

  async function client() {
    const r = await ready;
    if (!r) throw createError;
    return r;
  }

  function tick() {
    const s = rebilly?.session;
    if (!s) return;
    const expiresAt = toMs(s.expiresAt);
    const now = Date.now();
    $('rebilly-fact-expires').textContent = !Number.isFinite(expiresAt) ? '—' : expiresAt <= now ? 'expired' : formatCountdown(expiresAt - now);
    $('rebilly-fact-expires-at').textContent = formatAt(expiresAt);
  }

  function render() {
    const s = rebilly?.session ?? null;
    $('rebilly-form').hidden = Boolean(s);
    $('rebilly-session').hidden = !s;
    if (s) {
      $('rebilly-customer').textContent = s.customerId ?? '—';
      $('rebilly-fact-token').textContent = mask(s.token);
      tick();
      if (!ticker) ticker = setInterval(tick, 1000);
    } else if (ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  $('rebilly-get-token').addEventListener('click', async () => {
    clearError();
    const btn = $('rebilly-get-token');
    btn.disabled = true;
    try {
      const res = await fetch(`${API_ORIGIN}/mock/rebilly/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) {
        await res.text();
        showProblem('We couldn’t create a test token.', `The demo server answered HTTP ${res.status}.`, 'rebilly_token');
        return;
      }
      const { token } = await res.json();
      $('rebilly-token').value = token;
      $('rebilly-token').focus();
      setStatus('A test authentication token is ready. Press “Exchange token” to sign in.', 'info');
    } catch (err) {
      showError(err);
    } finally {
      btn.disabled = false;
    }
  });

  $('rebilly-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearError();
    const token = $('rebilly-token').value.trim();
    if (!token) {
      $('rebilly-token').setAttribute('aria-invalid', 'true');
      showProblem('Paste an authentication token first.', 'Or press “Get a test authentication token”.');
      $('rebilly-token').focus();
      return;
    }
    $('rebilly-token').setAttribute('aria-invalid', 'false');
    withBusy($('rebilly-submit'), 'Exchanging…', async () => {
      const r = await client();
      const s = await r.exchange(token);
      $('rebilly-token').value = '';
      render();
      setStatus(`Signed in to billing as customer ${s?.customerId ?? r.session?.customerId ?? ''}.`.replace(/ \.$/, '.'));
      $('rebilly-session-title').focus();
    });
  });

  $('rebilly-sign-out').addEventListener('click', async () => {
    clearError();
    try {
      (await client()).signOut();
      render();
      setStatus('You’ve signed out of billing.');
      $('rebilly-token').focus();
    } catch (err) {
      showError(err);
    }
  });

  return {
    ready,
    /** Called when the tab is opened: reports a failed create() once the person looks. */
    async onShow() {
      await ready;
      if (createError) showError(createError);
      render();
    },
  };
}
