'use client';
// The React app of the bundler matrix (no JSX, so that every bundler builds it without a JSX transform):
// nexudus-auth/react's provider, hooks and AuthenticatedLink. The API origin is the `api` query parameter
// (the mock), else the page's own origin. Used by react-main.js (Vite, webpack, esbuild, Parcel) and, copied
// to next/app/portal.js, by the Next.js app.
import { Fragment, createElement as h, useEffect, useState } from 'react';
import { AuthError } from 'nexudus-auth';
import { AuthenticatedLink, NexudusAuthProvider, useAccessToken, useAuth } from 'nexudus-auth/react';

export const PASSWORD = 'Passw0rd!';
export const LINK_PATH = '/portal/invoices/1042';

function Screen() {
  const { auth, status, error, pending, signIn, signOut } = useAuth();
  const token = useAccessToken();
  // every client the provider handed out, for the test to check that unmounting disposed of it
  useEffect(() => void (auth && (window.nexudusClients ||= []).push(auth)), [auth]);
  return h(
    'main',
    { 'data-status': status, 'aria-busy': pending },
    h('p', { 'data-testid': 'status' }, status),
    error && h('p', { role: 'alert', 'data-code': error.code, 'data-instanceof': String(error instanceof AuthError) }, error.message),
    status === 'signedOut' &&
      h(
        'p',
        null,
        h('button', { type: 'button', onClick: () => void signIn({ email: 'alice@example.com', password: 'wrong' }) }, 'Wrong password'),
        h('button', { type: 'button', onClick: () => void signIn({ email: 'alice@example.com', password: PASSWORD }) }, 'Sign in'),
      ),
    h('p', { 'data-testid': 'token' }, token ? `token of ${token.length} chars` : 'no token'),
    h(AuthenticatedLink, { to: LINK_PATH, className: 'portal' }, 'Open invoice #1042'),
    status === 'signedIn' && h('button', { type: 'button', onClick: signOut }, 'Sign out'),
  );
}

export default function Portal() {
  const [baseUrl] = useState(() =>
    typeof location == 'undefined' ? 'https://ssr.invalid' : new URLSearchParams(location.search).get('api') || location.origin,
  );
  const [mounted, setMounted] = useState(true);
  return h(
    Fragment,
    null,
    mounted && h(NexudusAuthProvider, { options: { baseUrl } }, h(Screen)),
    h('button', { type: 'button', onClick: () => setMounted((m) => !m) }, mounted ? 'Unmount' : 'Mount'),
  );
}
