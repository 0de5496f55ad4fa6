// nexudus-auth, web build entry (docs and types: index.d.ts). NexudusAuth.create / RebillyAuth.create
// await init() themselves. The wasm download (and its streaming compilation) starts when this module is
// evaluated, not when create() is first called, so it runs while the app's own code loads; in Node (SSR)
// importing fetches nothing.
import initWasm, {
  initSync, endpointsSystemAuthLogin, endpointsSystemAuthRefreshToken, authenticatedLinkUrl as linkUrl,
} from './nexudus_auth.js';
import { AuthError } from '__AUTH_ERROR_MODULE__';
// The JavaScript shell (pkg-template/shell/: the classes and every I/O around the wasm Machine), inlined
// into this file by scripts/build.sh (rollup, scripts/rollup.shell.mjs) and wired to this entry's glue.
import { NexudusAuth } from './shell/client.js';
import { RebillyAuth } from './shell/rebilly.js';
import { wasmLoadError } from './wasm_load.js';

export { AuthError };

const fail = (message) => new AuthError('invalid_config', message, null, null);
const inBrowser = typeof window == 'object' || typeof WorkerGlobalScope == 'function';
let ready, loaded, early;

export default function init(input) {
  if (ready) return ready; // loading or loaded: `input` is not needed
  // Bytes handed in (nexudus-auth/embedded's inlined wasm) stay the source of a later init() without one
  // until a load succeeds: create() after a failure (a CSP without 'wasm-unsafe-eval') then reports that
  // failure again instead of fetching a .wasm file the app never served.
  if (ArrayBuffer.isView(input)) early = input;
  // A module or bytes in hand (the early fetch's compiled module, nexudus-auth/embedded's inlined wasm) is
  // instantiated (and compiled) synchronously: the glue's async path waits for V8 to hand the result back to
  // this thread, and create() resolves about 1.5 ms later that way (bench/RESULTS.md, "Compiling in the
  // task"). Only where the engine refuses that step (a RangeError: Chrome before 114 on the main thread, for
  // modules over 4 KB) does the async path run instead; any other error (a CSP without 'wasm-unsafe-eval')
  // is the real one, reported without compiling a second time.
  return (ready = Promise.resolve(input === void 0 ? early : input)
    .then((m) => {
      if (m instanceof WebAssembly.Module || ArrayBuffer.isView(m)) {
        try {
          return initSync({ module: m });
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
        }
      }
      return initWasm(m === void 0 ? void 0 : { module_or_path: m });
    })
    .then(
      () => void (loaded = 1, early = void 0),
      (e) => { ready = 0; throw wasmLoadError(e); },
    ));
}

// In a microtask: by then the importer has run. If it already called init() (nexudus-auth/embedded does,
// with the inlined wasm; an app may pass its own source), nothing is fetched. The request is the same as
// `<link rel="preload" as="fetch" crossorigin>` (cors, same-origin credentials), so a preload is reused.
// A failure (offline, 404, no application/wasm) resolves to undefined: init() then loads the wasm the
// ordinary way and reports a real error.
if (inBrowser && typeof fetch == 'function') {
  queueMicrotask(() => {
    if (ready) return;
    early = fetch(new URL('nexudus_auth_bg.wasm', import.meta.url))
      .then((r) => (r.ok ? WebAssembly.compileStreaming(r) : void 0))
      .catch(() => void 0);
  });
}

const patch = (C, create = C.create) => ((C.create = async (options) => {
  if (!inBrowser) throw fail('nexudus-auth needs a browser: create the client on the client side');
  await init();
  return create.call(C, options);
}), C);

patch(NexudusAuth);
patch(RebillyAuth);
export { NexudusAuth, RebillyAuth };

// the synchronous helpers need the wasm: throw a clear AuthError instead of a TypeError before init()
const need = (f) => (...args) => {
  if (!loaded) throw fail('call `await init()` (or NexudusAuth.create) before using endpoints');
  return f(...args);
};
export const endpoints = {
  system: {
    auth: {
      login: need((token, validForInMinutes) => endpointsSystemAuthLogin(token, validForInMinutes)),
      refreshToken: need(endpointsSystemAuthRefreshToken),
    },
  },
};
export const authenticatedLinkUrl = need(linkUrl);
