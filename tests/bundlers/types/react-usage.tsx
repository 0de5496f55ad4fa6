// Typed usage of nexudus-auth/react from the packed tarball: every export, no `any` on its surface, and
// `@ts-expect-error` lines proving wrong shapes are rejected. Never run: `tsc --noEmit --strict`
// (tsconfig.json: moduleResolution bundler; tsconfig.node16.json: Node16) is the test (matrix.test.mjs).
import { useState, type ReactElement } from 'react';
import { AuthError, type NexudusAuth, type Session } from 'nexudus-auth';
import { AuthError as EmbeddedAuthError } from 'nexudus-auth/embedded';
import {
  AuthenticatedLink,
  NexudusAuthProvider,
  toAuthError,
  useAccessToken,
  useAuth,
  type AuthContextValue,
  type AuthStatus,
  type AuthenticatedLinkProps,
  type NexudusAuthProviderProps,
} from 'nexudus-auth/react';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
type NoAnyMember<T> = { [K in keyof T]-?: IsAny<T[K]> }[keyof T] extends false ? true : false;
const assertType = <T extends true>(_proof?: T): void => {};

// the status is exactly three states; the context's members are typed (no `any` anywhere)
assertType<Equals<AuthStatus, 'loading' | 'signedIn' | 'signedOut'>>();
assertType<NoAnyMember<AuthContextValue>>();
assertType<NoAnyMember<NexudusAuthProviderProps>>();
assertType<NoAnyMember<Pick<AuthenticatedLinkProps, 'to' | 'onError'>>>(); // its own members (the rest is React's)
assertType<Equals<AuthContextValue['auth'], NexudusAuth | null>>();
assertType<Equals<AuthContextValue['session'], Session | null>>();
assertType<Equals<AuthContextValue['error'], AuthError | null>>();
assertType<Equals<ReturnType<AuthContextValue['signIn']>, Promise<Session | null>>>();
assertType<Equals<ReturnType<AuthContextValue['startPasswordReset']>, Promise<boolean>>>();
assertType<Equals<ReturnType<typeof useAccessToken>, string | null>>();
assertType<Equals<ReturnType<typeof toAuthError>, AuthError>>();
assertType<Equals<Parameters<typeof toAuthError>[0], unknown>>();
assertType<Equals<AuthenticatedLinkProps['to'], string>>();
// one AuthError class whichever entry it is imported from
assertType<Equals<typeof AuthError, typeof EmbeddedAuthError>>();

function SignIn(): ReactElement {
  const { status, error, pending, signIn, signOut, exchangeToken, refresh, clearError } = useAuth();
  const token: string | null = useAccessToken();
  const [email, setEmail] = useState('');
  const message: string | null = error ? `${error.code}: ${error.message}` : null;
  const onSubmit = async (): Promise<void> => {
    const session = await signIn({ email, password: 'p', totp: '123456' });
    if (session) console.log(session.expiresAt.toFixed(0));
    else if (error?.code === 'two_factor_required') clearError();
    await exchangeToken('a.b.c', { validForInMinutes: 5 });
    await refresh();
  };
  return (
    <main data-status={status} aria-busy={pending}>
      <input value={email} onChange={(e) => setEmail(e.target.value)} />
      <button type="button" onClick={() => void onSubmit()}>Sign in</button>
      {message && <p role="alert">{message}</p>}
      <p>{token ?? 'no token'}</p>
      <AuthenticatedLink to="/en/invoices/1042" className="button" target="_self" onError={(e) => console.log(e.code)}>
        Invoice
      </AuthenticatedLink>
      <button type="button" onClick={signOut}>Sign out</button>
    </main>
  );
}

export function App(): ReactElement {
  return (
    <NexudusAuthProvider options={{ baseUrl: 'https://x.spaces.nexudus.com', storage: 'session' }}>
      <SignIn />
    </NexudusAuthProvider>
  );
}

export function rejected(): void {
  const { signIn, startPasswordReset } = useAuth();
  // @ts-expect-error signIn needs a password
  void signIn({ email: 'a@b.c' });
  // @ts-expect-error businessId is a number
  void startPasswordReset('a@b.c', '42');
  // @ts-expect-error not a status
  const s: AuthStatus = 'error';
  void s;
  // @ts-expect-error the provider needs options
  void (<NexudusAuthProvider>x</NexudusAuthProvider>);
  // @ts-expect-error baseUrl is required
  void (<NexudusAuthProvider options={{ portalUrl: 'https://p' }}>x</NexudusAuthProvider>);
  // @ts-expect-error AuthenticatedLink takes `to`, not `href`
  void (<AuthenticatedLink href="/x">x</AuthenticatedLink>);
  // @ts-expect-error `to` is required
  void (<AuthenticatedLink>x</AuthenticatedLink>);
}
