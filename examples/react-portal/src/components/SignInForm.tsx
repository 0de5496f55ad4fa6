import { useState, type FormEvent } from 'react';
import type { AuthError } from 'nexudus-auth';
import { useAuth } from 'nexudus-auth/react';

/** What to tell a person for each failure (codes of `AuthError`). */
export function describe(error: AuthError): string {
  switch (error.code) {
    case 'invalid_credentials':
      return 'That email and password do not match an account (or the account is suspended).';
    case 'two_factor_required':
      return 'Enter the 6-digit code from your authenticator app.';
    case 'password_reset_required':
      return 'You need to choose a new password before signing in. Check your email.';
    case 'network':
      return 'The portal could not be reached. Check your connection and try again.';
    case 'timeout':
      return 'The portal took too long to answer. Try again.';
    case 'server':
      return error.retryAfter ? `The portal is busy. Try again in ${error.retryAfter} s.` : 'The portal had a problem. Try again.';
    case 'session_expired':
    case 'unauthorized':
      return 'Your session has ended. Please sign in again.';
    default:
      return error.message;
  }
}

export function SignInForm() {
  const { signIn, status, pending, error } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [sentCode, setSentCode] = useState(false);
  const busy = pending || status === 'loading';
  // the server asks for the code (two_factor_auth_check) once the password is right
  const askCode = error?.code === 'two_factor_required' || totp !== '';

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = totp.trim();
    setSentCode(code !== '');
    await signIn(code ? { email: email.trim(), password, totp: code } : { email: email.trim(), password });
  };

  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="sign-in-title" noValidate>
      <h1 id="sign-in-title">Sign in to your workspace</h1>
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          disabled={busy}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          disabled={busy}
        />
      </label>
      {askCode && (
        <label>
          2FA code
          <input
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            autoFocus
            value={totp}
            onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))}
            disabled={busy}
          />
        </label>
      )}
      {error && (
        <p className={error.code === 'two_factor_required' && !sentCode ? 'notice' : 'notice error'} role="alert">
          {error.code === 'two_factor_required' && sentCode ? 'That code is not valid. Try the current one.' : describe(error)}
        </p>
      )}
      <button type="submit" disabled={busy || !email || !password}>
        {pending ? 'Signing in…' : status === 'loading' ? 'Loading…' : 'Sign in'}
      </button>
    </form>
  );
}
