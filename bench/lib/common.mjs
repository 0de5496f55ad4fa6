// Shared by bench/run.mjs and bench/lib/*: paths, the candidate list, logging, compression and statistics helpers.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(BENCH, '..');
export const OUT = path.join(BENCH, 'results');
export const BUNDLES = path.join(OUT, 'bundles');

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

// ---------------------------------------------------------------- candidates
// `id` is the row name. `kind`: 'ours' rows need pkg/, 'peer' rows come from bench/node_modules.
export const PEERS = [
  { id: 'oidc-client-ts', pkg: 'oidc-client-ts', entry: 'oidc-client-ts.js', factory: 'new UserManager(...)' },
  { id: '@supabase/auth-js', pkg: '@supabase/auth-js', entry: 'supabase-auth-js.js', factory: 'new AuthClient(...).initialize()' },
  { id: 'rebilly-js-sdk', pkg: 'rebilly-js-sdk', entry: 'rebilly-js-sdk.js', factory: 'RebillyAPI(...)' },
  { id: '@auth0/auth0-spa-js', pkg: '@auth0/auth0-spa-js', entry: 'auth0-spa-js.js', factory: 'new Auth0Client(...)' },
  { id: '@azure/msal-browser', pkg: '@azure/msal-browser', entry: 'msal-browser.js', factory: 'new PublicClientApplication(...).initialize()' },
];
export const OURS = 'nexudus-auth';

// ---------------------------------------------------------------- helpers
export function die(msg) { console.error(`bench: ${msg}`); process.exit(2); }
export const log = (...m) => console.error('[bench]', ...m);

export const br = (b) => zlib.brotliCompressSync(b, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length },
});
export const gz = (b) => zlib.gzipSync(b, { level: 9 });
export const sizes = (b) => ({ raw: b.length, gzip: gz(b).length, brotli: br(b).length });
export const addSizes = (xs) => xs.reduce((s, x) => ({ raw: s.raw + x.raw, gzip: s.gzip + x.gzip, brotli: s.brotli + x.brotli }), { raw: 0, gzip: 0, brotli: 0 });
export const kb = (n) => (n / 1000).toFixed(1);
export const ms = (n) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(1));
export const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  // nearest-rank for p90, midpoint average for the median
  if (q === 0.5) { const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
export const median = (xs) => quantile(xs, 0.5);
export const p90 = (xs) => quantile(xs, 0.9);
export function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : [p];
  });
}
export function gitRev() {
  try { return execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return 'unknown'; }
}
export function chromiumVersion(chromium) {
  try { return execFileSync(chromium, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return 'unknown'; }
}
export const sleep = (t) => new Promise((r) => setTimeout(r, t));
