// nexudus-auth/react: React 18 / 19 bindings of nexudus-auth (implementation: ./index.js).
import type { AnchorHTMLAttributes, ReactElement, ReactNode } from 'react';
import type {
  AuthError,
  CompletePasswordResetOptions,
  ExchangeOptions,
  NexudusAuth,
  NexudusAuthOptions,
  Session,
  SignInOptions,
} from 'nexudus-auth';

/**
 * `loading`: the client is being created (wasm + stored session), and always during server rendering;
 * `signedIn` / `signedOut`: the client is ready (or could not be created: then `error` says why).
 */
export type AuthStatus = 'loading' | 'signedIn' | 'signedOut';

/** What `useAuth()` gives. The verbs never reject: they resolve a fallback and set `error`. */
export interface AuthContextValue {
  /** The client once created (for `fetch`, `getAccessToken`, `portalLoginUrl`, …), else `null`. */
  readonly auth: NexudusAuth | null;
  readonly session: Session | null;
  readonly status: AuthStatus;
  /** The last failure (creation or a verb); cleared when the next verb starts. Switch on `error.code`. */
  readonly error: AuthError | null;
  /** A verb is in flight. */
  readonly pending: boolean;
  /** The portal origin authenticated links go to (`options.portalUrl`, else `options.baseUrl`). */
  readonly portalUrl: string;
  /** Password sign-in; resolves the session, or `null` on failure (see `error`, e.g. `two_factor_required`). */
  signIn(options: SignInOptions): Promise<Session | null>;
  /** One-time JWT (magic link, sign-up, reset landing) → session, or `null` on failure. */
  exchangeToken(token: string, options?: ExchangeOptions): Promise<Session | null>;
  /** Sets the new password and signs in; the session, or `null` on failure. */
  completePasswordReset(options: CompletePasswordResetOptions): Promise<Session | null>;
  /** Emails a reset link; `true` when the request was accepted, `false` on failure. */
  startPasswordReset(email: string, businessId?: number): Promise<boolean>;
  /** Refreshes now; the new session, or `null` on failure (a failed refresh keeps a valid session). */
  refresh(): Promise<Session | null>;
  /** Synchronous: session and storage cleared on return; other tabs follow. */
  signOut(): void;
  clearError(): void;
}

/** Props of `<NexudusAuthProvider>`. */
export interface NexudusAuthProviderProps {
  /** Read once, when the provider mounts (give it a `key` to start over with other options). */
  options: NexudusAuthOptions;
  children?: ReactNode;
}

/**
 * Creates one `NexudusAuth` client for the tree below it, in the browser only (safe during server
 * rendering: the status stays `loading` there), follows `onChange` (sign-in, refresh and sign-out, also
 * from other tabs) and disposes of the client on unmount.
 */
export function NexudusAuthProvider(props: NexudusAuthProviderProps): ReactElement;

/** The auth state and verbs of the nearest `<NexudusAuthProvider>` (throws outside of one). */
export function useAuth(): AuthContextValue;

/** The current access token (re-renders when it is refreshed), or `null` while signed out or loading. */
export function useAccessToken(): string | null;

/** Props of `<AuthenticatedLink>`: an anchor's own props, less `href` (computed from `to`) and the DOM `onError`. */
export interface AuthenticatedLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'onError'> {
  /** Page of the server-rendered portal to land on, signed in (e.g. `/en/invoices/1042`). */
  to: string;
  /** Called when the one-time link could not be issued (the link stays usable; `data-error` = the code). */
  onError?: (error: AuthError) => void;
}

/**
 * A link into the server-rendered Nexudus portal that arrives signed in: disabled (`aria-disabled`, no
 * `href`) until the client is ready and signed in; a click asks for the one-time server token and opens
 * `/user/login?server=true&t=…&redirectUrl=…` in this tab.
 */
export function AuthenticatedLink(props: AuthenticatedLinkProps): ReactElement;

/** `e` itself when it is an `AuthError`, else an `AuthError('bad_response')` carrying its message. */
export function toAuthError(e: unknown): AuthError;
