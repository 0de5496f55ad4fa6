// nexudus-auth: the wrapper shared by the web entry (index.js) and the embedded entry
// (embedded/index.js). init() loads the wasm from the entry's default source (or the caller's),
// NexudusAuth.create / RebillyAuth.create await it themselves, the synchronous helpers need it.
import initWasm, * as wasm from './nexudus_auth.js';
import { AuthError } from '__AUTH_ERROR_MODULE__';
import { wasmLoadError } from './wasm_load.js';

export { AuthError };

const fail = (message) => new AuthError('invalid_config', message, null, null);
let ready, loaded;
let source = () => void 0;

/**
 * Sets the source init() uses when it is called without one: a function returning (a Promise of)
 * anything wasm-bindgen's init accepts (a compiled WebAssembly.Module, bytes, a Response, a URL),
 * or undefined for wasm-bindgen's default (fetch `nexudus_auth_bg.wasm` next to the glue).
 */
export function setSource(f) {
  source = f;
}

export default function init(input) {
  return (ready ||= Promise.resolve(input === void 0 ? source() : input)
    .then((m) => initWasm(m === void 0 ? void 0 : { module_or_path: m }))
    .then(
      () => void (loaded = 1),
      (e) => { ready = 0; throw wasmLoadError(e); },
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
      login: need((token, validForInMinutes = 1440) => wasm.endpointsSystemAuthLogin(token, validForInMinutes)),
      refreshToken: need(wasm.endpointsSystemAuthRefreshToken),
    },
  },
};
export const authenticatedLinkUrl = need(wasm.authenticatedLinkUrl);
