// nexudus-auth/embedded: the web build with the wasm inside the JavaScript (a string of one char per
// byte), so loading the package is one request and needs no asset handling (esbuild, Rollup, a plain
// <script type=module>). Same API and types as the main entry. In a browser the compilation starts when
// this module is evaluated; in Node (SSR) only when init() is called.
import { setSource } from '../wrapper.js';
import wasmChars from './nexudus_auth_bg.wasm.js';

export { default, AuthError, NexudusAuth, RebillyAuth, endpoints, authenticatedLinkUrl } from '../wrapper.js';

let compiled;
function compile() {
  if (!compiled) {
    const bytes = new Uint8Array(wasmChars.length);
    for (let i = 0; i < bytes.length; i++) bytes[i] = wasmChars.charCodeAt(i);
    compiled = WebAssembly.compile(bytes);
  }
  return compiled;
}
if (typeof window == 'object' || typeof WorkerGlobalScope == 'function') compile().catch(() => {});
setSource(compile);
