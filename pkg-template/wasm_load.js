// nexudus-auth: a failed load of nexudus_auth_bg.wasm becomes an AuthError whose message says what to do
// (used by index.js): code `network` when the request got no answer, else `invalid_config` (the build or
// the deployment does not deliver the wasm), the message naming the one line that fixes each known cause.
import { AuthError } from './auth_error.js';

const EMBEDDED = "import from 'nexudus-auth' (the default entry: the wasm inside the JS, no file to serve) instead of 'nexudus-auth/web'";

/** `e` (whatever the wasm-bindgen loader threw) as an AuthError (`network` or `invalid_config`). */
export function wasmLoadError(e) {
  if (e instanceof AuthError) return e;
  const detail = String((e && e.message) || e);
  let hint;
  let code = 'invalid_config';
  if (/magic word[^]*\b3c\b|text\/html/i.test(detail)) {
    hint = 'the server answered the .wasm request with an HTML page. Vite 7\'s dev server does this when it ' +
      "pre-bundles the package: add `optimizeDeps: { exclude: ['nexudus-auth'] }` to vite.config, or " + EMBEDDED +
      '. Elsewhere: deploy nexudus_auth_bg.wasm next to the bundle that loads it';
  } else if (/\b404\b|not found/i.test(detail)) {
    hint = "nexudus_auth_bg.wasm is not next to the bundle: esbuild and Rollup leave `new URL('nexudus_auth_bg.wasm', " +
      'import.meta.url)` as it is and emit no .wasm. ' + EMBEDDED +
      ', or copy node_modules/nexudus-auth/nexudus_auth_bg.wasm next to your bundle';
  } else if (/Content.Security|CSP|unsafe-eval|disallowed|not allowed/i.test(detail)) {
    hint = "the page's Content-Security-Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to script-src";
  } else if (e instanceof TypeError && /fetch|network/i.test(detail)) {
    code = 'network';
    hint = 'the request for nexudus_auth_bg.wasm got no answer (offline?); try again, or ' + EMBEDDED;
  } else {
    hint = 'check that nexudus_auth_bg.wasm is deployed next to the bundle and served as application/wasm, or ' + EMBEDDED;
  }
  return new AuthError(code, `nexudus-auth could not load its WebAssembly (${detail}): ${hint}`, null, null);
}
