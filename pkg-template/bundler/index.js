// nexudus-auth, bundler build entry (webpack `experiments.asyncWebAssembly`: the bundler instantiates
// the wasm at import). Same API as the web build (docs and types: index.d.ts); init() resolves at once.
import {
  endpointsSystemAuthLogin, endpointsSystemAuthRefreshToken, authenticatedLinkUrl as linkUrl,
} from './nexudus_auth.js';
import { AuthError } from '__AUTH_ERROR_MODULE__';
// The JavaScript shell (pkg-template/shell/: the classes and every I/O around the wasm Machine), inlined
// into this file by scripts/build.sh (rollup, scripts/rollup.shell.mjs) and wired to this entry's glue.
import { NexudusAuth } from './shell/client.js';
import { RebillyAuth } from './shell/rebilly.js';

export { AuthError };

export default async function init() {}

const patch = (C, create = C.create) => ((C.create = async (options) => {
  if (typeof window == 'undefined' && typeof WorkerGlobalScope == 'undefined')
    throw new AuthError('invalid_config', 'nexudus-auth needs a browser: create the client on the client side', null, null);
  return create.call(C, options);
}), C);

patch(NexudusAuth);
patch(RebillyAuth);
export { NexudusAuth, RebillyAuth };

export const endpoints = {
  system: {
    auth: {
      login: (token, validForInMinutes) => endpointsSystemAuthLogin(token, validForInMinutes),
      refreshToken: endpointsSystemAuthRefreshToken,
    },
  },
};
export const authenticatedLinkUrl = linkUrl;
