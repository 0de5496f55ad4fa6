// Plain-language messages for every AuthError code of the nexudus-auth contract.
//
// An AuthError carries `code`, `message`, `status`, `description` (the server's words, when
// there were any) and extras: `resetToken`, `errors` (password policy), `retryAfter` (seconds).
// We never echo `description` for password_reset_required: there it *is* the reset token.

/** @type {Record<string, {title: string, detail?: string, showDescription?: boolean}>} */
const MESSAGES = {
  invalid_credentials: {
    title: 'That email and password don’t match.',
    detail: 'Check for typos, or use “Forgot password?” to choose a new one.',
    showDescription: true,
  },
  two_factor_required: {
    title: 'Enter your verification code to finish signing in.',
    detail: 'Open your authenticator app and type the 6-digit code for this account.',
  },
  password_reset_required: {
    title: 'You need to choose a new password before you can sign in.',
    detail: 'Your workspace asked for a password change. Pick a new one below.',
  },
  unsupported_grant_type: {
    title: 'The server didn’t accept this kind of sign-in request.',
    detail: 'This is a problem with the app rather than your account. Please let the workspace team know.',
    showDescription: true,
  },
  session_expired: {
    title: 'Your session has ended.',
    detail: 'For your security you’ve been signed out. Please sign in again.',
  },
  token_invalid: {
    title: 'This link has expired or was already used.',
    detail: 'Links work once and only for a short time. Ask for a new one below.',
    showDescription: true,
  },
  token_rejected: {
    title: 'This link wasn’t issued for this workspace.',
    detail: 'Make sure you opened the most recent email from this workspace.',
    showDescription: true,
  },
  password_policy: {
    title: 'Please choose a stronger password.',
  },
  unauthorized: {
    title: 'You need to be signed in to do that.',
    detail: 'Your session may have ended in another tab. Sign in and try again.',
  },
  network: {
    title: 'We couldn’t reach the server.',
    detail: 'Check your internet connection and try again.',
  },
  timeout: {
    title: 'The server is taking too long to answer.',
    detail: 'Please try again in a moment.',
  },
  server: {
    title: 'Something went wrong on our side.',
    detail: 'The server couldn’t finish your request. Please try again in a moment.',
  },
  bad_response: {
    title: 'The server sent an answer we couldn’t understand.',
    detail: 'Please try again. If it keeps happening, let the workspace team know.',
  },
  storage: {
    title: 'Your browser wouldn’t let us save your session.',
    detail: 'Storage may be full or blocked (private browsing). You’ll stay signed in only while this tab is open.',
  },
  invalid_config: {
    title: 'This sign-in page isn’t set up correctly.',
    detail: 'The app’s configuration was rejected. Please let the workspace team know.',
  },
};

function isAuthError(err) {
  return err != null && typeof err === 'object' && err.name === 'AuthError' && typeof err.code === 'string';
}

/**
 * Turns anything thrown into `{ code, title, detail?, list? }` for the alert region.
 * `context`: 'totp-retry' (a code was sent and refused), 'warning' (from onWarning),
 * 'inline-policy' (the password-policy list is shown next to the field instead).
 */
export function describeError(err, context) {
  if (!isAuthError(err)) {
    const msg = err instanceof Error ? err.message : String(err);
    return {
      code: 'unexpected',
      title: 'Something unexpected went wrong.',
      detail: msg || 'Please reload the page and try again.',
    };
  }
  const base = MESSAGES[err.code] ?? { title: 'Sign-in failed.', detail: err.message };
  const out = { code: err.code, title: base.title, detail: base.detail };

  if (err.code === 'two_factor_required' && context === 'totp-retry') {
    out.title = 'That code didn’t work.';
    out.detail = 'Codes change every 30 seconds. Enter the code your app shows now.';
  }
  if (err.code === 'storage' && context === 'warning') {
    out.title = 'Your session will only last while this tab is open.';
  }
  if (err.code === 'password_policy') {
    const list = Array.isArray(err.errors) ? err.errors.filter((e) => typeof e === 'string' && e) : [];
    if (context === 'inline-policy' && list.length) {
      out.detail = 'What’s missing is listed under the new password.';
    } else {
      out.list = list;
      out.detail = list.length ? undefined : 'It needs at least 8 characters, an upper-case letter and a number.';
    }
  }
  if (err.code === 'server') {
    if (Number.isFinite(err.retryAfter) && err.retryAfter > 0) {
      out.title = 'Too many attempts right now.';
      out.detail = `Please wait ${Math.ceil(err.retryAfter)} seconds and try again.`;
    } else if (err.status) {
      out.detail = `The server couldn’t finish your request (HTTP ${err.status}). Please try again in a moment.`;
    }
  }
  // The server's own words help ("The account has been suspended"), but only when they are
  // human text, not a token.
  const desc = typeof err.description === 'string' ? err.description.trim() : '';
  if (base.showDescription && desc && desc.length < 200 && /\s/.test(desc)) {
    out.detail = out.detail ? `${desc.replace(/\.?$/, '.')} ${out.detail}` : desc;
    if (err.code === 'invalid_credentials' && /suspend|disabled|locked/i.test(desc)) {
      out.title = 'This account can’t sign in.';
      out.detail = `${desc.replace(/\.?$/, '.')} Please contact your workspace team.`;
    }
  }
  return out;
}
