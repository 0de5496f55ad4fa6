// Typed usage of the packed `nexudus-auth` package: every public member, the AuthError code union,
// and `@ts-expect-error` lines proving wrong shapes are rejected. Never run: `tsc --noEmit --strict`
// (tsconfig.json: moduleResolution bundler; tsconfig.node16.json: Node16) is the test.
import init, {
  AuthError,
  NexudusAuth,
  RebillyAuth,
  authenticatedLinkUrl,
  endpoints,
  type AuthChangeEvent,
  type AuthErrorCode,
  type CompletePasswordResetOptions,
  type ExchangeOptions,
  type NexudusAuthOptions,
  type RebillyAuthOptions,
  type RebillyChangeEvent,
  type RebillyExchangeOptions,
  type RebillySession,
  type Session,
  type SignInOptions,
  type StorageAdapter,
} from 'nexudus-auth';
import initBundler, * as bundler from 'nexudus-auth/bundler';

// Exact equality of two types (fails to compile when they differ).
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T): void => {};

const memory = new Map<string, string>();
const adapter: StorageAdapter = {
  getItem: (key) => memory.get(key) ?? null,
  setItem: (key, value) => void memory.set(key, value),
  removeItem: async (key) => {
    memory.delete(key);
  },
};

export async function everything(jwt: string): Promise<void> {
  // init: optional input, memoised, returns Promise<void>
  const first: Promise<void> = init();
  await first;
  await init(new URL('https://cdn.example.com/nexudus_auth_bg.wasm'));
  await init(fetch('/nexudus_auth_bg.wasm'));
  await initBundler();

  const options: NexudusAuthOptions = {
    baseUrl: 'https://myspace.spaces.nexudus.com',
    portalUrl: 'https://portal.example.com',
    clientId: 'nexudus.portal.alice@example.com',
    businessId: 42,
    storage: 'session',
    storageKey: 'my-app-auth',
    tokenLifetimeMinutes: 60,
    refreshLeewaySeconds: 30,
    autoRefresh: false,
  };
  const auth: NexudusAuth = await NexudusAuth.create(options);
  await NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com', storage: 'memory' });
  await NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com', storage: 'local' });
  await NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com', storage: adapter });

  const session: Session | null = auth.session;
  if (session) {
    const token: string = session.accessToken;
    const type: string = session.tokenType;
    const expiresAt: number = session.expiresAt;
    void [token, type, expiresAt];
  }
  const next: number | null | undefined = auth.nextRefreshAt;
  void next;

  const signIn: SignInOptions = { email: 'alice@example.com', password: 'Passw0rd!' };
  const s1: Session = await auth.signIn(signIn);
  await auth.signIn({ email: 'bob@example.com', password: 'Passw0rd!', totp: '123456', clientId: 'x' });
  const exchange: ExchangeOptions = { validForInMinutes: 10 };
  const s2: Session = await auth.exchangeToken(jwt, exchange);
  const s3: Session = await auth.refresh();
  void [s1, s2, s3];

  const access: string = await auth.getAccessToken();
  const res: Response = await auth.fetch('/api/public/billing/customer');
  await auth.fetch(new URL('https://x.spaces.nexudus.com/api/public/billing/customer'), { method: 'GET' });
  const link: string = await auth.authenticatedLink('/portal/invoices/1042');
  const login1: string = await auth.portalLoginUrl();
  const login2: string = await auth.portalLoginUrl('/portal/home');
  void [access, res, link, login1, login2];

  const nothing: void = await auth.startPasswordReset('alice@example.com');
  await auth.startPasswordReset('alice@example.com', 42);
  void nothing;
  const reset: CompletePasswordResetOptions = { token: 'reset-token', newPassword: 'N3wPassw0rd!' };
  const s4: Session = await auth.completePasswordReset(reset);
  await auth.completePasswordReset({ token: 't', newPassword: 'p', businessId: 42 });
  void s4;

  const off: () => void = auth.onChange((event, s) => {
    const e: AuthChangeEvent = event;
    const now: Session | null = s;
    void [e, now];
  });
  off();
  // contract (docs/ARCHITECTURE.md): onWarning(cb: (w: AuthError) => void)
  const offWarn: () => void = auth.onWarning((w) => {
    const warning: AuthError = w;
    const code: AuthErrorCode = w.code;
    void [warning, code];
  });
  offWarn();
  const out: void = auth.signOut();
  void out;
  auth.dispose();

  // Rebilly
  const rOptions: RebillyAuthOptions = {
    baseUrl: 'https://api-sandbox.rebilly.com/organizations/org_1',
    publishableKey: 'pk_sandbox_x',
    storage: 'memory',
    storageKey: 'rebilly',
  };
  const rebilly: RebillyAuth = await RebillyAuth.create(rOptions);
  const rx: RebillyExchangeOptions = { invalidate: false, oneTimePassword: '123456' };
  const rs: RebillySession = await rebilly.exchange('auth-token', rx);
  await rebilly.exchange('auth-token');
  const rToken: string = rs.token;
  const rExpires: number = rs.expiresAt;
  const rCustomer: string = rs.customerId;
  void [rToken, rExpires, rCustomer];
  const rNow: RebillySession | null = rebilly.session;
  void rNow;
  const rOff: () => void = rebilly.onChange((event, s) => {
    const e: RebillyChangeEvent = event;
    const now: RebillySession | null = s;
    void [e, now];
  });
  rOff();
  rebilly.signOut();

  // helpers
  const exchangePath: string = endpoints.system.auth.login(jwt);
  const exchangePath2: string = endpoints.system.auth.login(jwt, 60);
  const refreshPath: string = endpoints.system.auth.refreshToken();
  const url: string = authenticatedLinkUrl('https://portal.example.com', 't', '/portal/home');
  void [exchangePath, exchangePath2, refreshPath, url];

  // the bundler build has the same surface
  const b: bundler.NexudusAuth = await bundler.NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com' });
  const bs: bundler.Session | null = b.session;
  void bs;
  const bPath: string = bundler.endpoints.system.auth.refreshToken();
  const bUrl: string = bundler.authenticatedLinkUrl('https://p', 't', '/');
  void [bPath, bUrl];
  const sameError: typeof AuthError = bundler.AuthError;
  void sameError;
}

// AuthError: a real Error subclass whose `code` narrows.
export async function signInWithTwoFactor(auth: NexudusAuth, ask: () => Promise<string>): Promise<Session | null> {
  try {
    return await auth.signIn({ email: 'bob@example.com', password: 'Passw0rd!' });
  } catch (e) {
    if (e instanceof AuthError && e.code === 'two_factor_required') {
      return auth.signIn({ email: 'bob@example.com', password: 'Passw0rd!', totp: await ask() });
    }
    if (e instanceof AuthError) {
      const err: Error = e;
      const status: number | null = e.status;
      const description: string | null = e.description;
      const name: string = e.name;
      void [err, status, description, name, e.message, e.stack];
      switch (e.code) {
        case 'password_reset_required': {
          const resetToken: string | undefined = e.resetToken;
          return resetToken ? auth.completePasswordReset({ token: resetToken, newPassword: 'N3wPassw0rd!' }) : null;
        }
        case 'password_policy': {
          const errors: string[] | undefined = e.errors;
          void errors;
          return null;
        }
        case 'server': {
          const retryAfter: number | undefined = e.retryAfter;
          void retryAfter;
          return null;
        }
        case 'two_factor_required': // narrowed above only within that `if`
        case 'invalid_credentials':
        case 'unsupported_grant_type':
        case 'session_expired':
        case 'token_invalid':
        case 'token_rejected':
        case 'unauthorized':
        case 'network':
        case 'timeout':
        case 'bad_response':
        case 'storage':
        case 'invalid_config':
          return null;
        default: {
          // every code of the contract is handled above: nothing is left
          const exhaustive: never = e.code;
          return exhaustive;
        }
      }
    }
    throw e;
  }
}

// The code union is exactly the contract's 15 codes, and the change events are exactly 3.
type ContractCode =
  | 'invalid_credentials'
  | 'two_factor_required'
  | 'password_reset_required'
  | 'unsupported_grant_type'
  | 'session_expired'
  | 'token_invalid'
  | 'token_rejected'
  | 'password_policy'
  | 'unauthorized'
  | 'network'
  | 'timeout'
  | 'server'
  | 'bad_response'
  | 'storage'
  | 'invalid_config';
assertType<Equals<AuthErrorCode, ContractCode>>();
assertType<Equals<AuthChangeEvent, 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT'>>();
assertType<Equals<ReturnType<typeof init>, Promise<void>>>();
assertType<Equals<Awaited<ReturnType<typeof NexudusAuth.create>>, NexudusAuth>>();
assertType<Equals<Awaited<ReturnType<typeof RebillyAuth.create>>, RebillyAuth>>();
assertType<Equals<Awaited<ReturnType<NexudusAuth['getAccessToken']>>, string>>();
assertType<Equals<NexudusAuth['session'], Session | null>>();
// the refresh token is never exposed on the session
assertType<Equals<'refreshToken' extends keyof Session ? true : false, false>>();

export function rejected(auth: NexudusAuth): void {
  // @ts-expect-error storage is 'local' | 'session' | 'memory' | StorageAdapter, not 'cookies'
  void NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com', storage: 'cookies' });
  // @ts-expect-error baseUrl is required
  void NexudusAuth.create({ portalUrl: 'https://portal.example.com' });
  // @ts-expect-error businessId is a number
  void NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com', businessId: '42' });
  // @ts-expect-error autoRefresh is a boolean
  void NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com', autoRefresh: 'yes' });
  // @ts-expect-error signIn needs a password
  void auth.signIn({ email: 'alice@example.com' });
  // @ts-expect-error totp is a string
  void auth.signIn({ email: 'a@b.c', password: 'p', totp: 123456 });
  // @ts-expect-error completePasswordReset takes newPassword, not password
  void auth.completePasswordReset({ token: 't', password: 'p' });
  // @ts-expect-error onChange events are a closed union
  auth.onChange((event) => event === 'PASSWORD_RECOVERY');
  // @ts-expect-error a StorageAdapter needs removeItem
  void NexudusAuth.create({ baseUrl: 'https://x', storage: { getItem: () => null, setItem: () => {} } });
  // @ts-expect-error not a contract code
  const code: AuthErrorCode = 'expired';
  void code;
  // @ts-expect-error the refresh token is not on the session
  void auth.session?.refreshToken;
  // @ts-expect-error there is no public constructor: use NexudusAuth.create()
  void new NexudusAuth();
  // @ts-expect-error validForInMinutes is a number
  void endpoints.system.auth.login('jwt', '1440');
  // @ts-expect-error authenticatedLinkUrl takes three strings
  void authenticatedLinkUrl('https://portal.example.com', 't');
  // @ts-expect-error AuthError.code is readonly
  new AuthError('network', 'm', null, null).code = 'timeout';
}
