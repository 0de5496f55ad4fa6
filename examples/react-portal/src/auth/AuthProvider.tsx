import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AuthError, NexudusAuth, type NexudusAuthOptions, type Session, type SignInOptions } from 'nexudus-auth';

/** `loading`: the client is being created (wasm + stored session); `error`: it could not be created. */
export type AuthStatus = 'loading' | 'signedOut' | 'signingIn' | 'signedIn' | 'error';

export interface AuthContextValue {
  /** The client, once created (for `fetch`, `authenticatedLink`, …). */
  auth: NexudusAuth | null;
  session: Session | null;
  status: AuthStatus;
  /** The last failure (sign-in, creation), cleared by the next attempt. */
  error: AuthError | null;
  /** Resolves with the session, or `null` when it failed (see `error`). Never rejects. */
  signIn(options: SignInOptions): Promise<Session | null>;
  signOut(): void;
  clearError(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Every rejection of nexudus-auth is an AuthError; anything else (a bug) is wrapped so the UI can show it. */
export function toAuthError(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  return new AuthError('bad_response', e instanceof Error ? e.message : String(e), null, null);
}

export interface AuthProviderProps {
  /** Read once, when the provider mounts (give the provider a `key` to start over with other options). */
  options: NexudusAuthOptions;
  children: ReactNode;
}

/**
 * Creates one NexudusAuth client for the app, follows it through `onChange` (sign-in, refresh and
 * sign-out, including those made in other tabs) and disposes of it on unmount.
 */
export function AuthProvider({ options, children }: AuthProviderProps) {
  const optionsRef = useRef(options);
  const [auth, setAuth] = useState<NexudusAuth | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [error, setError] = useState<AuthError | null>(null);

  useEffect(() => {
    let live = true;
    let client: NexudusAuth | null = null;
    let unsubscribe: (() => void) | null = null;
    NexudusAuth.create(optionsRef.current).then(
      (created) => {
        if (!live) {
          created.dispose(); // unmounted while loading (React StrictMode runs effects twice)
          return;
        }
        client = created;
        unsubscribe = created.onChange((_event, next) => {
          setSession(next);
          setStatus(next ? 'signedIn' : 'signedOut');
        });
        setAuth(created);
        setSession(created.session);
        setStatus(created.session ? 'signedIn' : 'signedOut');
      },
      (e: unknown) => {
        if (!live) return;
        setError(toAuthError(e));
        setStatus('error');
      },
    );
    return () => {
      live = false;
      unsubscribe?.();
      client?.dispose();
    };
  }, []);

  const signIn = useCallback(
    async (signInOptions: SignInOptions): Promise<Session | null> => {
      if (!auth) return null;
      setError(null);
      setStatus('signingIn');
      try {
        const next = await auth.signIn(signInOptions);
        setSession(next);
        setStatus('signedIn');
        return next;
      } catch (e) {
        setError(toAuthError(e));
        setStatus(auth.session ? 'signedIn' : 'signedOut');
        return null;
      }
    },
    [auth],
  );

  const signOut = useCallback(() => {
    setError(null);
    auth?.signOut(); // synchronous; onChange('SIGNED_OUT') updates the state
    setSession(null);
    setStatus('signedOut');
  }, [auth]);

  const clearError = useCallback(() => setError(null), []);

  const value = useMemo<AuthContextValue>(
    () => ({ auth, session, status, error, signIn, signOut, clearError }),
    [auth, session, status, error, signIn, signOut, clearError],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The auth state of the nearest `<AuthProvider>`. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}
