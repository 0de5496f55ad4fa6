// nexudus-auth, web build entry (docs and types: index.d.ts). The wasm loads on the first init();
// NexudusAuth.create / RebillyAuth.create await it themselves.
import initWasm, * as wasm from './nexudus_auth.js';
import { AuthError } from '__AUTH_ERROR_MODULE__';

export { AuthError };

const fail = (message) => new AuthError('invalid_config', message, null, null);
let ready, loaded;

export default function init(input) {
  return (ready ||= initWasm(input === void 0 ? void 0 : { module_or_path: input }).then(
    () => void (loaded = 1),
    (e) => { ready = 0; throw e; },
  ));
}

const patch = (C, create = C.create) => ((C.create = async (options) => {
  if (typeof window == 'undefined' && typeof WorkerGlobalScope == 'undefined')
    throw fail('nexudus-auth needs a browser: create the client on the client side');
  await init();
  return create.call(C, options);
}), C);
export const NexudusAuth = patch(wasm.NexudusAuth);
export const RebillyAuth = patch(wasm.RebillyAuth);

// the synchronous helpers need the wasm: throw a clear AuthError instead of a TypeError before init()
const need = (f) => (...args) => {
  if (!loaded) throw fail('call `await init()` (or NexudusAuth.create) before using endpoints');
  return f(...args);
};
export const endpoints = {
  system: {
    auth: {
      login: need((token, validForInMinutes) => wasm.endpointsSystemAuthLogin(token, validForInMinutes)),
      refreshToken: need(wasm.endpointsSystemAuthRefreshToken),
    },
  },
};
export const authenticatedLinkUrl = need(wasm.authenticatedLinkUrl);
