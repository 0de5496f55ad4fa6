'use client';
// nexudus-auth/react: React bindings (types and docs: ./index.d.ts). React 18 or 19 is an optional peer
// dependency; the main entry never imports React. The client comes from 'nexudus-auth' itself, so the
// package's `exports` conditions pick the same build (and the same AuthError class) as the app's own imports.
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { AuthError, NexudusAuth } from 'nexudus-auth';

const AuthContext = createContext(null);

/** Every rejection of nexudus-auth is an AuthError; anything else (a bug) is wrapped so the UI can show it. */
export function toAuthError(e) {
  if (e instanceof AuthError) return e;
  return new AuthError('bad_response', e instanceof Error ? e.message : String(e), null, null);
}

/**
 * Creates one NexudusAuth client when it mounts in the browser (never during server rendering: effects do
 * not run there, so the status stays 'loading'), follows its onChange events (also from other tabs) and
 * disposes of it on unmount. `options` are read once; give the provider a `key` to start over.
 */
export function NexudusAuthProvider({ options, children }) {
  const optionsRef = useRef(options);
  const portalUrl = options.portalUrl || options.baseUrl;
  const [auth, setAuth] = useState(null);
  const [session, setSession] = useState(null);
  const [status, setStatus] = useState('loading');
  const [error, setError] = useState(null);
  const [pending, setPending] = useState(0);

  useEffect(() => {
    let live = true;
    let client = null;
    let unsubscribe = null;
    NexudusAuth.create(optionsRef.current).then(
      (created) => {
        if (!live) return void created.dispose(); // unmounted while loading (StrictMode mounts twice)
        client = created;
        unsubscribe = created.onChange((_event, next) => {
          setSession(next);
          setStatus(next ? 'signedIn' : 'signedOut');
        });
        setAuth(created);
        setSession(created.session);
        setStatus(created.session ? 'signedIn' : 'signedOut');
      },
      (e) => {
        if (!live) return;
        setError(toAuthError(e));
        setStatus('signedOut');
      },
    );
    return () => {
      live = false;
      if (unsubscribe) unsubscribe();
      if (client) client.dispose();
    };
  }, []);

  // run(verb): the verb's result, or `fallback` with `error` set; never rejects
  const run = useCallback(
    async (verb, fallback) => {
      if (!auth) {
        setError(new AuthError('invalid_config', 'nexudus-auth is not ready yet (status "loading")', null, null));
        return fallback;
      }
      setError(null);
      setPending((n) => n + 1);
      try {
        return await verb(auth);
      } catch (e) {
        setError(toAuthError(e));
        return fallback;
      } finally {
        setPending((n) => n - 1);
        setSession(auth.session);
        setStatus(auth.session ? 'signedIn' : 'signedOut');
      }
    },
    [auth],
  );

  const signIn = useCallback((o) => run((a) => a.signIn(o), null), [run]);
  const exchangeToken = useCallback((t, o) => run((a) => a.exchangeToken(t, o), null), [run]);
  const completePasswordReset = useCallback((o) => run((a) => a.completePasswordReset(o), null), [run]);
  const startPasswordReset = useCallback(
    (email, businessId) => run((a) => a.startPasswordReset(email, businessId).then(() => true), false),
    [run],
  );
  const refresh = useCallback(() => run((a) => a.refresh(), null), [run]);
  const signOut = useCallback(() => {
    setError(null);
    if (auth) auth.signOut(); // synchronous; onChange('SIGNED_OUT') follows
    setSession(null);
    if (auth) setStatus('signedOut');
  }, [auth]);
  const clearError = useCallback(() => setError(null), []);

  const value = useMemo(
    () => ({
      auth, session, status, error, pending: pending > 0, portalUrl,
      signIn, exchangeToken, completePasswordReset, startPasswordReset, refresh, signOut, clearError,
    }),
    [auth, session, status, error, pending, portalUrl, signIn, exchangeToken, completePasswordReset, startPasswordReset, refresh, signOut, clearError],
  );
  return createElement(AuthContext.Provider, { value }, children);
}

const portalHref = (portalUrl, to) => {
  try {
    return new URL(to, portalUrl).href;
  } catch {
    return undefined;
  }
};

/** The auth state of the nearest `<NexudusAuthProvider>`. */
export function useAuth() {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <NexudusAuthProvider>');
  return value;
}

/** The current access token (re-renders when it is refreshed), or null when signed out or loading. */
export function useAccessToken() {
  const { session } = useAuth();
  return session ? session.accessToken : null;
}

/**
 * A link into the server-rendered Nexudus portal that arrives signed in. Disabled (aria-disabled, no href)
 * until the client is ready and signed in; a click asks for the one-time server token
 * (`auth.authenticatedLink(to)`) and navigates to `/user/login?server=true&t=…&redirectUrl=…`.
 * A failure is passed to `onError` (and shown as `data-error` on the link); the link stays usable.
 */
export function AuthenticatedLink({ to, children, onError, onClick, ...rest }) {
  const { auth, session, portalUrl } = useAuth();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);
  const usable = auth !== null && session !== null && !busy;

  const click = async (e) => {
    if (onClick) onClick(e);
    if (e.defaultPrevented) return; // the app's own onClick took over
    e.preventDefault();
    if (!usable) return;
    setBusy(true);
    setFailed(null);
    try {
      const url = await auth.authenticatedLink(to);
      window.location.assign(url);
    } catch (err) {
      const ae = toAuthError(err);
      if (mounted.current) setFailed(ae);
      if (onError) onError(ae);
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  return createElement(
    'a',
    {
      ...rest,
      // a plain portal URL for copy / open-in-new-tab; a click signs in through the one-time link
      href: usable ? portalHref(portalUrl, to) : undefined,
      role: 'link',
      'aria-disabled': !usable,
      'aria-busy': busy,
      'data-ready': usable,
      'data-error': failed ? failed.code : undefined,
      onClick: click,
    },
    children,
  );
}
