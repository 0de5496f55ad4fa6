// The signed-out side of the member portal: password sign-in, two-step code, must-reset and
// email-link password reset, "forgot password" and "email me a sign-in link".
import { API_ORIGIN } from './api.js';
import {
  $,
  activeView,
  clearError,
  clearStatus,
  setStatus,
  showError,
  showProblem,
  showView,
  withBusy,
} from './ui.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * @param {object} ctx
 * @param {import('/pkg/index.js').NexudusAuth} ctx.auth
 * @param {() => void} ctx.onSignedIn   re-render after a successful sign-in
 */
export function setupSignIn({ auth, onSignedIn }) {
  // Credentials are kept only between the password step and the code step, then dropped.
  let pending = null;

  const signinForm = $('view-signin');
  const emailInput = $('signin-email');
  const passwordInput = $('signin-password');
  const totpForm = $('view-totp');
  const totpInput = $('totp-code');
  const resetForm = $('view-reset');
  const forgotForm = $('view-forgot');

  const invalid = (input, on) => input.setAttribute('aria-invalid', String(on));

  function requireEmail(input) {
    const email = input.value.trim();
    if (!EMAIL_RE.test(email)) {
      invalid(input, true);
      showProblem(email ? 'That doesn’t look like an email address.' : 'Enter your email address.', 'For example name@example.com.');
      input.focus();
      return null;
    }
    invalid(input, false);
    return email;
  }

  function goSignIn({ focus = 'signin-email', keepMessages = false } = {}) {
    pending = null;
    totpInput.value = '';
    if (!keepMessages) {
      clearError();
    }
    showView('signin', { focus });
  }

  function goTotp(email, password) {
    pending = { email, password };
    $('totp-email').textContent = email;
    totpInput.value = '';
    clearStatus();
    showView('totp', { focus: 'totp-code' });
  }

  /** Opens the reset form. `reason`: 'must_reset' | 'email_link'. */
  function goReset({ email = '', token = '', reason }) {
    pending = null;
    resetForm.reset();
    $('reset-errors').replaceChildren();
    $('reset-confirm-error').textContent = '';
    const emailField = $('reset-email');
    emailField.value = email;
    emailField.readOnly = Boolean(email);
    $('reset-token').value = token;
    $('reset-token-details').open = !token;
    $('reset-reason').textContent =
      reason === 'must_reset'
        ? `Your workspace asks ${email || 'you'} to choose a new password before signing in.`
        : `Choose a new password for ${email || 'your account'}. You’ll be signed in straight away.`;
    updateRules();
    showView('reset', { focus: 'reset-password' });
  }

  function goSent(text) {
    $('sent-text').textContent = text;
    showView('sent', { focus: 'heading' });
  }

  // ----- password sign-in -----
  signinForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearError();
    const email = requireEmail(emailInput);
    if (!email) return;
    const password = passwordInput.value;
    if (!password) {
      invalid(passwordInput, true);
      showProblem('Enter your password.');
      passwordInput.focus();
      return;
    }
    invalid(passwordInput, false);
    withBusy($('signin-submit'), 'Signing in…', async () => {
      try {
        await auth.signIn({ email, password });
      } catch (err) {
        if (err?.code === 'two_factor_required') {
          goTotp(email, password);
          setStatus('Almost there — enter the code from your authenticator app.', 'info');
          return;
        }
        if (err?.code === 'password_reset_required') {
          showError(err);
          goReset({ email, token: err.resetToken ?? '', reason: 'must_reset' });
          return;
        }
        if (err?.code === 'invalid_credentials') {
          invalid(passwordInput, true);
          passwordInput.select();
        }
        throw err;
      }
      passwordInput.value = '';
      onSignedIn();
    }).then(() => {
      // After a failed attempt, put the person back where they can fix it.
      if (activeView() === 'signin' && $('alert').dataset.code === 'invalid_credentials') passwordInput.focus();
    });
  });

  // ----- two-step code -----
  totpInput.addEventListener('input', () => {
    const digits = totpInput.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== totpInput.value) totpInput.value = digits;
  });
  totpForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearError();
    const code = totpInput.value.trim();
    if (!/^\d{6}$/.test(code)) {
      invalid(totpInput, true);
      showProblem('Enter the 6-digit code.', 'Your authenticator app shows a new code every 30 seconds.');
      totpInput.focus();
      return;
    }
    invalid(totpInput, false);
    if (!pending) {
      goSignIn();
      return;
    }
    const { email, password } = pending;
    withBusy(
      $('totp-submit'),
      'Verifying…',
      async () => {
        try {
          await auth.signIn({ email, password, totp: code });
        } catch (err) {
          if (err?.code === 'two_factor_required') {
            invalid(totpInput, true);
            totpInput.select();
          }
          throw err;
        }
        pending = null;
        passwordInput.value = '';
        onSignedIn();
      },
      { errorContext: 'totp-retry' },
    ).then(() => {
      if (activeView() === 'totp') totpInput.focus();
    });
  });

  // ----- choose a new password -----
  const resetPassword = $('reset-password');
  const resetConfirm = $('reset-confirm');
  function updateRules() {
    const v = resetPassword.value;
    const met = { length: v.length >= 8, upper: /[A-Z]/.test(v), digit: /\d/.test(v) };
    for (const li of $('reset-rules').children) li.classList.toggle('is-met', Boolean(met[li.dataset.rule]));
  }
  resetPassword.addEventListener('input', () => {
    updateRules();
    $('reset-errors').replaceChildren();
    invalid(resetPassword, false);
  });
  resetConfirm.addEventListener('input', () => {
    $('reset-confirm-error').textContent = '';
    invalid(resetConfirm, false);
  });
  resetForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearError();
    const token = $('reset-token').value.trim();
    const newPassword = resetPassword.value;
    if (!newPassword) {
      invalid(resetPassword, true);
      showProblem('Enter a new password.');
      resetPassword.focus();
      return;
    }
    if (resetConfirm.value !== newPassword) {
      invalid(resetConfirm, true);
      $('reset-confirm-error').textContent = 'The two passwords don’t match.';
      resetConfirm.focus();
      return;
    }
    if (!token) {
      $('reset-token-details').open = true;
      invalid($('reset-token'), true);
      showProblem('Enter the reset code from your email.', 'Or open the link in the email directly.');
      $('reset-token').focus();
      return;
    }
    withBusy($('reset-submit'), 'Saving…', async () => {
      try {
        await auth.completePasswordReset({ token, newPassword });
      } catch (err) {
        if (err?.code === 'password_policy') {
          const list = Array.isArray(err.errors) ? err.errors : [];
          $('reset-errors').replaceChildren(...list.map((m) => Object.assign(document.createElement('li'), { textContent: m })));
          invalid(resetPassword, true);
        }
        if (err?.code === 'token_invalid' || err?.code === 'token_rejected') $('reset-token-details').open = true;
        throw err;
      }
      resetForm.reset();
      onSignedIn();
      setStatus('Your new password is saved and you’re signed in.');
    }, { errorContext: 'inline-policy' }).then(() => {
      if (activeView() === 'reset' && resetPassword.getAttribute('aria-invalid') === 'true') resetPassword.focus();
    });
  });

  // ----- forgot password -----
  $('forgot-link').addEventListener('click', () => {
    clearError();
    clearStatus();
    $('forgot-email').value = emailInput.value.trim();
    showView('forgot', { focus: 'forgot-email' });
  });
  forgotForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearError();
    const email = requireEmail($('forgot-email'));
    if (!email) return;
    withBusy($('forgot-submit'), 'Sending…', async () => {
      await auth.startPasswordReset(email);
      goSent(`If ${email} has an account, we’ve sent it a link to choose a new password. The link works once and for a short time.`);
    });
  });

  // ----- email me a sign-in link (the mock plays the part of the workspace's mailer) -----
  $('magic-link-btn').addEventListener('click', () => {
    clearError();
    const email = requireEmail(emailInput);
    if (!email) return;
    withBusy($('magic-link-btn'), 'Sending link…', async () => {
      const res = await fetch(`${API_ORIGIN}/mock/magic-link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      await res.text(); // read the answer to the end (the link itself only goes to the outbox)
      if (!res.ok) {
        showProblem('We couldn’t send a sign-in link just now.', `The mail service answered HTTP ${res.status}. Please try again.`, 'magic_link');
        return;
      }
      goSent(`We’ve emailed a sign-in link to ${email}. Open it on this device within a few minutes — it works once.`);
    });
  });

  // ----- "back" buttons -----
  for (const b of document.querySelectorAll('#panel-nexudus [data-go="signin"]')) {
    b.addEventListener('click', () => {
      clearStatus();
      goSignIn();
    });
  }

  /**
   * Handles links from emails: `/?token=…` (sign-in link) and `/?resetToken=…&email=…`.
   * Secrets are removed from the address bar (and so from history) before anything else.
   * Returns true when the URL carried something.
   */
  async function handleLandingUrl() {
    const url = new URL(location.href);
    const token = url.searchParams.get('token');
    const resetToken = url.searchParams.get('resetToken');
    const email = url.searchParams.get('email') ?? '';
    if (!token && !resetToken) return false;
    for (const k of ['token', 'resetToken', 'email']) url.searchParams.delete(k);
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);

    if (resetToken) {
      goReset({ email, token: resetToken, reason: 'email_link' });
      return true;
    }
    setStatus('Signing you in with your email link…', 'info');
    try {
      await auth.exchangeToken(token);
      onSignedIn();
      setStatus('You’re signed in with your email link.');
    } catch (err) {
      goSignIn({ keepMessages: true });
      showError(err);
    }
    return true;
  }

  /** Fills the form for a demo account (from the side panel). */
  function useAccount(user, currentCode) {
    if (activeView() === 'totp' && pending && pending.email === user.email && currentCode) {
      totpInput.value = currentCode;
      totpInput.focus();
      return;
    }
    clearError();
    emailInput.value = user.email;
    passwordInput.value = user.password ?? '';
    invalid(emailInput, false);
    invalid(passwordInput, false);
    goSignIn({ focus: 'signin-submit' });
  }

  return { goSignIn, goReset, handleLandingUrl, useAccount, pendingEmail: () => pending?.email ?? null };
}
