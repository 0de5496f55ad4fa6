// nexudus-auth: package entry types (web build), written by hand: the classes are implemented in
// JavaScript (pkg-template/shell/) over the wasm Machine, whose generated types (wasm-bindgen's
// nexudus_auth.d.ts) are internal and not shipped; the public types are all here.

/** What `init()` loads the WebAssembly from. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Error codes of `AuthError.code`. */
export type AuthErrorCode =
  | 'invalid_credentials' | 'two_factor_required' | 'password_reset_required' | 'unsupported_grant_type'
  | 'session_expired' | 'token_invalid' | 'token_rejected' | 'password_policy' | 'unauthorized'
  | 'network' | 'timeout' | 'server' | 'bad_response' | 'storage' | 'invalid_config';

/** The fields every `AuthError` adds to `Error` (the class itself is exported by the package entry). */
export interface AuthErrorFields {
  /** What went wrong, e.g. `'invalid_credentials'`, `'two_factor_required'`, `'network'`. */
  readonly code: AuthErrorCode;
  /** HTTP status when a server answered, else `null`. */
  readonly status: number | null;
  /** The server's own description (`error_description`, `Message`, `detail`), else `null`. */
  readonly description: string | null;
  /** `password_reset_required`: the token for `completePasswordReset({ token, newPassword })`. */
  readonly resetToken?: string;
  /** `password_policy`: the server's messages, one per broken rule. */
  readonly errors?: string[];
  /** `server` on HTTP 429: seconds to wait (`Retry-After`). */
  readonly retryAfter?: number;
}

/** Session events fired by `onChange`, in every tab that shares the storage. */
export type AuthChangeEvent = 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT';

/** The signed-in session. The refresh token is never exposed to JavaScript. */
export interface Session {
  accessToken: string;
  tokenType: string;
  /** Expiry of the access token, ms since the epoch (local clock at receipt + `expires_in`). */
  expiresAt: number;
}

/** A custom storage; every method may return a Promise. Keys start with `storageKey`. */
export interface StorageAdapter {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** Options of `NexudusAuth.create`. */
export interface NexudusAuthOptions {
  /** API origin, e.g. `https://myspace.spaces.nexudus.com` (https, or http on loopback). */
  baseUrl: string;
  /** Portal origin for authenticated links (default `baseUrl`). */
  portalUrl?: string;
  /** `client_id` header; default `nexudus.portal.<email>`, stored with the session. */
  clientId?: string;
  businessId?: number;
  /** Default `'local'`. */
  storage?: 'local' | 'session' | 'memory' | StorageAdapter;
  /** Default `'nexudus-auth'`. */
  storageKey?: string;
  /** Lifetime asked for exchanged tokens, minutes (default 1440). */
  tokenLifetimeMinutes?: number;
  /** Refresh this long before expiry (default 60). */
  refreshLeewaySeconds?: number;
  /** Refresh in the background before expiry (default true). */
  autoRefresh?: boolean;
  /** Request timeout in ms (default 15000). */
  timeoutMs?: number;
  /** Extra origins `authenticatedLink` / `portalLoginUrl` may redirect to (default: the portal's only). */
  allowedRedirectOrigins?: string[];
}

/** Arguments of `signIn`. */
export interface SignInOptions {
  email: string;
  password: string;
  /** The 6-digit code when the customer has 2FA on. */
  totp?: string;
  /** `client_id` for this sign-in (overrides the create option). */
  clientId?: string;
}

/** Options of `exchangeToken`. */
export interface ExchangeOptions {
  /** Lifetime of the issued token in minutes (default `tokenLifetimeMinutes`). */
  validForInMinutes?: number;
}

/** Arguments of `completePasswordReset`. */
export interface CompletePasswordResetOptions {
  token: string;
  newPassword: string;
  businessId?: number;
}

/** Options of `RebillyAuth.create`. */
export interface RebillyAuthOptions {
  /** `https://api[-sandbox].rebilly.com/organizations/{organizationId}` */
  baseUrl: string;
  publishableKey?: string;
  storage?: 'local' | 'session' | 'memory' | StorageAdapter;
  /** Default `'nexudus-auth-rebilly'`. */
  storageKey?: string;
}

/** The Rebilly customer session. */
export interface RebillySession {
  /** The customer JWT (opaque). */
  token: string;
  /** From the server's `expiredTime`, ms since the epoch. */
  expiresAt: number;
  customerId: string;
}

/** Options of `RebillyAuth.exchange`. */
export interface RebillyExchangeOptions {
  /** Default true: the authentication token can be exchanged once. */
  invalidate?: boolean;
  /** 6 digits, when the token was sent with a one-time password. */
  oneTimePassword?: string;
}

/** Events fired by `RebillyAuth.onChange`. */
export type RebillyChangeEvent = 'SIGNED_IN' | 'SIGNED_OUT';

/**
 * A Nexudus sign-in client for one storage key.
 */
export class NexudusAuth {
    private constructor();
    /**
     * `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` with a fresh one-time token.
     */
    authenticatedLink(redirectUrl: string): Promise<string>;
    /**
     * Sets a new password with the emailed token and signs the customer in.
     */
    completePasswordReset(options: CompletePasswordResetOptions): Promise<Session>;
    /**
     * Validates the options, restores a stored session and starts keeping it fresh.
     */
    static create(options: NexudusAuthOptions): Promise<NexudusAuth>;
    /**
     * Stops the timer and removes every listener and callback.
     */
    dispose(): void;
    /**
     * Exchanges a one-time JWT (magic link, sign-up, reset) for a session.
     */
    exchangeToken(jwt: string, options?: ExchangeOptions | null): Promise<Session>;
    /**
     * `fetch` with the bearer token (only to `baseUrl`'s origin; relative URLs resolve against
     * it). Refreshes first when stale; on a 401 refreshes once and retries once.
     */
    fetch(input: RequestInfo | URL, init?: RequestInit | null): Promise<Response>;
    /**
     * The access token, refreshed first when near expiry; concurrent callers share one refresh.
     */
    getAccessToken(): Promise<string>;
    /**
     * A team admin acts for a member of the team: the member's session becomes current (the
     * admin's is kept aside) and `SIGNED_IN` fires in every tab.
     */
    impersonate(coworkerId: number): Promise<Session>;
    /**
     * `${baseUrl}${path}` with a short-lived media JWT as `t`, for files the browser opens itself
     * (invoice PDFs, media); refreshes first when due.
     */
    mediaUrl(path: string): Promise<string>;
    /**
     * Calls `cb(event, session)` on every sign-in, refresh and sign-out (in any tab).
     */
    onChange(cb: (event: AuthChangeEvent, session: Session | null) => void): () => void;
    /**
     * Calls `cb(warning)` for problems that lose nothing, e.g. storage fell back to memory.
     */
    onWarning(cb: (warning: Error & AuthErrorFields) => void): () => void;
    /**
     * `${portalUrl}/login?t=…[&redirectUrl=…]` with a fresh one-time token.
     */
    portalLoginUrl(redirectUrl?: string | null): Promise<string>;
    /**
     * Refreshes now (one refresh across every tab that shares the storage).
     */
    refresh(): Promise<Session>;
    /**
     * Password sign-in (`POST /api/token`, form-encoded), with `totp` when 2FA is on.
     */
    signIn(options: SignInOptions): Promise<Session>;
    /**
     * Signs out: session and storage are cleared when this returns; other tabs follow.
     */
    signOut(): void;
    /**
     * Asks Nexudus to email a password-reset link (resolves the same whether or not it exists).
     */
    startPasswordReset(email: string, businessId?: number | null): Promise<void>;
    /**
     * Drops the member's session and restores the admin's (refreshed first when due).
     */
    stopImpersonating(): Promise<Session>;
    /**
     * The coworker id being acted for, or null.
     */
    readonly impersonating: number | null;
    /**
     * When the next background refresh is scheduled (ms since the epoch), or null.
     */
    readonly nextRefreshAt: number | null;
    /**
     * The current session `{accessToken, tokenType, expiresAt}`, or null.
     */
    readonly session: Session | null;
}

/**
 * A Rebilly customer session from an authentication-token exchange.
 */
export class RebillyAuth {
    private constructor();
    /**
     * Validates the options and restores an unexpired stored session.
     */
    static create(options: RebillyAuthOptions): Promise<RebillyAuth>;
    /**
     * `POST {baseUrl}/authentication-tokens/{token}/exchange`; stores the JWT and its expiry.
     */
    exchange(token: string, options?: RebillyExchangeOptions | null): Promise<RebillySession>;
    /**
     * Calls `cb(event, session)` on exchange and sign-out.
     */
    onChange(cb: (event: RebillyChangeEvent, session: RebillySession | null) => void): () => void;
    /**
     * Forgets the session.
     */
    signOut(): void;
    /**
     * The session `{token, expiresAt, customerId}`, or null.
     */
    readonly session: RebillySession | null;
}

/**
 * Loads and instantiates the WebAssembly module once (later calls share the first promise).
 * `NexudusAuth.create()` / `RebillyAuth.create()` call it for you; call it yourself only before the
 * synchronous helpers (`endpoints`, `authenticatedLinkUrl`) or to pass your own `.wasm` source
 * (a URL, a `Response`, bytes or a compiled `WebAssembly.Module`). Default: `nexudus_auth_bg.wasm`
 * next to this file, resolved with `import.meta.url`.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/** Extra fields some codes carry. */
export interface AuthErrorExtra {
  resetToken?: string;
  errors?: string[];
  retryAfter?: number;
}

/** Every rejection of nexudus-auth. `instanceof AuthError` works; narrow on `code`. */
export class AuthError extends Error {
  constructor(
    code: AuthErrorCode,
    message: string,
    status: number | null,
    description: string | null,
    extra?: AuthErrorExtra,
  );
}
/** Its fields (`code`, `status`, `description`, …), declared once with the other types. */
export interface AuthError extends AuthErrorFields {}

/** The Nexudus portal's own path helpers: paths relative to `baseUrl`. Need `await init()` first. */
export const endpoints: {
  readonly system: {
    readonly auth: {
      /** `'/api/sys/users/exchange?token=…&validForInMinutes=1440'` */
      login(token: string, validForInMinutes?: number): string;
      /** `'/api/sys/users/token/refresh'` */
      refreshToken(): string;
    };
  };
};

/** `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` (pure; needs `await init()` first). */
export function authenticatedLinkUrl(portalUrl: string, t: string, redirectUrl: string): string;
