// nexudus-auth/embedded: the web build with the wasm inside the JavaScript (a string of one char per
// byte), so loading the package is one request and needs no asset handling (esbuild, Rollup, a plain
// <script type=module>). Same API and types as the main entry. In a browser init() starts right here,
// during evaluation, so the main entry never fetches the .wasm file; in Node (SSR) only when called.
import mainInit from '../index.js';
import wasmChars, { table } from './nexudus_auth_bg.wasm.js';

// AuthError straight from its module (the class ../index.js exports): a page without a bundler then asks
// for auth_error.js alongside ../index.js instead of after it.
export { AuthError } from '../auth_error.js';
export { NexudusAuth, RebillyAuth, endpoints, authenticatedLinkUrl } from '../index.js';

// The bytes, not a compiled Module: the main entry's init() compiles and instantiates bytes it is handed in
// one synchronous step (pkg-template/index.js; bench/RESULTS.md, "Compiling in the task").
function wasmBytes() {
  // one char per byte, renamed by frequency (scripts/embed-wasm.mjs): `table` maps each char back
  const byteOf = new Uint8Array(256);
  for (let c = 0; c < 256; c++) byteOf[c] = parseInt(table.substr(2 * c, 2), 16);
  const bytes = new Uint8Array(wasmChars.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = byteOf[wasmChars.charCodeAt(i)];
  return bytes;
}

let loading;

/** The main entry's init(), with the inlined wasm as the default source (decoded once per load). */
export default function init(input) {
  if (input !== void 0) return mainInit(input);
  return (loading ||= mainInit(wasmBytes()).catch((e) => { loading = void 0; throw e; }));
}
if (typeof window == 'object' || typeof WorkerGlobalScope == 'function') init().catch(() => {});
