// nexudus-auth, bundler build entry (webpack `experiments.asyncWebAssembly`: the bundler instantiates
// the wasm at import). Same API as the web build (docs and types: index.d.ts); init() resolves at once.
import * as wasm from './nexudus_auth.js';
import { AuthError } from '__AUTH_ERROR_MODULE__';

export { AuthError };

export default async function init() {}

const patch = (C, create = C.create) => ((C.create = async (options) => {
  if (typeof window == 'undefined' && typeof WorkerGlobalScope == 'undefined')
    throw new AuthError('invalid_config', 'nexudus-auth needs a browser: create the client on the client side', null, null);
  return create.call(C, options);
}), C);
export const NexudusAuth = patch(wasm.NexudusAuth);
export const RebillyAuth = patch(wasm.RebillyAuth);

export const endpoints = {
  system: {
    auth: {
      login: (token, validForInMinutes) => wasm.endpointsSystemAuthLogin(token, validForInMinutes),
      refreshToken: wasm.endpointsSystemAuthRefreshToken,
    },
  },
};
export const authenticatedLinkUrl = wasm.authenticatedLinkUrl;
