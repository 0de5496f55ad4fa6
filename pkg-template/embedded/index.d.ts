// nexudus-auth/embedded: the same API as the main entry (the wasm is inlined; init() needs no source).
export * from '../index.js';
export { default } from '../index.js';
