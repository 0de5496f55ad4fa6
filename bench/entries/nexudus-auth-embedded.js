// nexudus-auth/embedded: import the entry with the wasm inlined and create a client (one request).
// `nexudus-auth/embedded` is resolved to ../../pkg/embedded/index.js by run.mjs (the esbuild plugin in lib/sizes.mjs).
import { NexudusAuth } from 'nexudus-auth/embedded';
window.__ready = NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });
