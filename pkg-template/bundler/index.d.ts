// nexudus-auth/bundler: the same API as the web build (webpack `asyncWebAssembly` instantiates the
// wasm at import, so `init()` resolves at once and the synchronous helpers work right away).
export * from '../index.js';
export { default } from '../index.js';
