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
