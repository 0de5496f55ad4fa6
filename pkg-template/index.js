// nexudus-auth package entry (web build). Loads the wasm lazily: `NexudusAuth.create()` awaits `init()`.
import initWasm, * as wasm from './nexudus_auth.js';
import { AuthError } from '__AUTH_ERROR_MODULE__';

export { AuthError };

const fail = (m) => new AuthError('invalid_config', m, null, null);
let ready, loaded;

/** Loads and instantiates the wasm once (memoised). `input`: URL / Response / bytes / Module of the .wasm. */
export default function init(input) {
  return (ready ||= initWasm(input === undefined ? undefined : { module_or_path: input }).then(
    () => void (loaded = true),
    (e) => { ready = null; throw e; },
  ));
}

const patch = (C) => {
  const create = C.create;
  C.create = async (options) => {
    if (typeof window == 'undefined' && typeof WorkerGlobalScope == 'undefined')
      throw fail('nexudus-auth needs a browser: create the client on the client side');
    await init();
    return create.call(C, options);
  };
  return C;
};
export const NexudusAuth = patch(wasm.NexudusAuth);
export const RebillyAuth = patch(wasm.RebillyAuth);

const need = () => {
  if (!loaded) throw fail('call `await init()` (or NexudusAuth.create) before using endpoints');
};
export const endpoints = {
  system: {
    auth: {
      login: (token, validForInMinutes = 1440) => (need(), wasm.endpointsSystemAuthLogin(token, validForInMinutes)),
      refreshToken: () => (need(), wasm.endpointsSystemAuthRefreshToken()),
    },
  },
};
export const authenticatedLinkUrl = (portalUrl, t, redirectUrl) =>
  (need(), wasm.authenticatedLinkUrl(portalUrl, t, redirectUrl));
