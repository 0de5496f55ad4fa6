// nexudus-auth, web build entry (docs and types: index.d.ts; the API lives in wrapper.js).
// The wasm download starts when this module is evaluated, not when create() is first called, so it
// runs while the app's own code loads. In Node (SSR) importing does nothing: no window, no fetch.
import { setSource } from './wrapper.js';

export { default, AuthError, NexudusAuth, RebillyAuth, endpoints, authenticatedLinkUrl } from './wrapper.js';

if ((typeof window == 'object' || typeof WorkerGlobalScope == 'function') && typeof fetch == 'function') {
  // Same request as `<link rel="preload" as="fetch" crossorigin>` (cors, same-origin credentials), so a
  // preload of this URL is reused. Compiled while it streams in. Any failure (offline, 404, a server
  // that does not send application/wasm) resolves to undefined: init() then loads the wasm the ordinary
  // way and reports a real error.
  const early = fetch(new URL('nexudus_auth_bg.wasm', import.meta.url))
    .then((r) => (r.ok ? WebAssembly.compileStreaming(r) : void 0))
    .catch(() => void 0);
  setSource(() => early);
}
