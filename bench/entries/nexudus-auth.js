// nexudus-auth/web: import the web entry (the .wasm as its own file) and create a client (wasm fetched, compiled, instantiated).
// `nexudus-auth` is resolved to ../../pkg/index.js by run.mjs (the esbuild plugin in lib/sizes.mjs).
import { NexudusAuth } from 'nexudus-auth';
window.__ready = NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });
