// nexudus-auth: package entry types (web build). The classes and option types come from the Rust
// facade (wasm-bindgen output, `./nexudus_auth.d.ts`); this file adds the JS-side helpers.
import type { AuthErrorCode, AuthErrorFields, InitInput } from './nexudus_auth.js';

export { NexudusAuth, RebillyAuth } from './nexudus_auth.js';
export type {
  AuthChangeEvent,
  AuthErrorCode,
  AuthErrorFields,
  CompletePasswordResetOptions,
  ExchangeOptions,
  NexudusAuthOptions,
  RebillyAuthOptions,
  RebillyChangeEvent,
  RebillyExchangeOptions,
  RebillySession,
  Session,
  SignInOptions,
  StorageAdapter,
} from './nexudus_auth.js';

/**
 * Loads and instantiates the WebAssembly module once (later calls share the first promise).
 * `NexudusAuth.create()` / `RebillyAuth.create()` call it for you; call it yourself only before the
 * synchronous helpers (`endpoints`, `authenticatedLinkUrl`) or to pass your own `.wasm` source
 * (a URL, a `Response`, bytes or a compiled `WebAssembly.Module`). Default: `nexudus_auth_bg.wasm`
 * next to this file, resolved with `import.meta.url`.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

// The wasm-bindgen classes declare `[Symbol.dispose]()`; `Symbol.dispose` is in TypeScript's lib only
// from `esnext.disposable` on. Declare it (as @types/node does) so `lib: ["ES2022", "DOM"]` projects
// type-check without `skipLibCheck`.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

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
