// Step 3 of the benchmark: the static server the load-time pages are served from.
// Serves /pkg/ (the package as built), /b/ (bundles), /page (the measuring page). Responses are compressed
// like a production CDN would (brotli when the browser accepts it, else gzip), never cached.

import { createServer } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLES, br, gz, log } from './common.mjs';

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
const compressed = new Map(); // file -> {mtime, br, gz, raw}
function loadFile(f) {
  const st = fs.statSync(f);
  const c = compressed.get(f);
  if (c && c.mtime === st.mtimeMs) return c;
  const raw = fs.readFileSync(f);
  const e = { mtime: st.mtimeMs, raw, br: br(raw), gz: gz(raw) };
  compressed.set(f, e);
  return e;
}
// The preloads are added by the module script at t0, in the same task as the `import()`, so the `.wasm`
// (and the pkg files' modulepreload) starts with the bundle, as in an app whose HTML names both: a
// `<link>` in <head> would start 10-30 ms before the module script runs (measured: 2026-12-03, tenth
// session), a head start that no real page gives its own script and that made import→ready of the
// preload rows look faster than they are (bench/RESULTS.md, "The preload rows had a head start").
function pageHtml(q) {
  const links = [
    ...q.getAll('preload').map((href) => ({ rel: 'preload', href, as: 'fetch', type: 'application/wasm', crossOrigin: 'anonymous' })),
    ...q.getAll('modulepreload').map((href) => ({ rel: 'modulepreload', href })),
  ];
  const src = JSON.stringify(q.get('src') || '/b/empty.js');
  // mode=pkg: import the package entry and create the client inline (no extra entry module).
  const body = q.get('mode') === 'pkg'
    ? `const m = await import(${src}); await m.NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });`
    : `await import(${src}); await window.__ready;`;
  const addLinks = links.length
    ? `for (const l of ${JSON.stringify(links)}) document.head.append(Object.assign(document.createElement('link'), l));`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>
<script type="module">
const t0 = performance.now();
try {
  ${addLinks}
  ${body}
  const t1 = performance.now();
  // when the earliest preloaded file was requested, from t0 (bench/lib/load.mjs flags one before the import())
  const starts = performance.getEntriesByType('resource').filter((e) => ${JSON.stringify(links.map((l) => l.href))}.some((h) => e.name.endsWith(h)));
  const preloadStart = starts.length ? Math.min(...starts.map((e) => e.startTime)) - t0 : null;
  window.__result = { importToReady: t1 - t0, navToReady: t1, preloadStart };
} catch (e) { window.__result = { error: String((e && (e.stack || e.message)) || e) }; }
console.debug('__bench_done__');
</script></body></html>`;
}

/**
 * Starts the server on a free loopback port. Returns { server, origin, hits, encodingsSeen }:
 * `hits` counts requests per path, `encodingsSeen` collects the Accept-Encoding values received.
 * `page` writes the HTML of `/page` from its query (bench/phases.mjs brings its own).
 */
export async function startServer(PKG, page = pageHtml) {
  const hits = new Map();
  const encodingsSeen = new Set();
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    hits.set(u.pathname, (hits.get(u.pathname) || 0) + 1);
    const common = { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' };
    if (u.pathname === '/page') { res.writeHead(200, { ...common, 'Content-Type': TYPES['.html'] }); res.end(page(u.searchParams)); return; }
    if (u.pathname === '/blank') { res.writeHead(200, { ...common, 'Content-Type': TYPES['.html'] }); res.end('<!doctype html><title>blank</title>'); return; }
    let base = null, rel = null;
    if (u.pathname.startsWith('/pkg/')) { base = PKG; rel = u.pathname.slice(5); }
    else if (u.pathname.startsWith('/b/')) { base = BUNDLES; rel = u.pathname.slice(3); }
    const f = base && path.resolve(base, decodeURIComponent(rel));
    if (!f || !f.startsWith(base + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain' }); res.end('not found'); return;
    }
    const e = loadFile(f);
    const ae = String(req.headers['accept-encoding'] || '');
    encodingsSeen.add(ae);
    const h = { ...common, 'Content-Type': TYPES[path.extname(f)] || 'application/octet-stream', Vary: 'Accept-Encoding' };
    let bodyBuf = e.raw;
    if (/\bbr\b/.test(ae)) { h['Content-Encoding'] = 'br'; bodyBuf = e.br; }
    else if (/\bgzip\b/.test(ae)) { h['Content-Encoding'] = 'gzip'; bodyBuf = e.gz; }
    h['Content-Length'] = bodyBuf.length;
    res.writeHead(200, h); res.end(bodyBuf);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  log('static server on', origin);
  return { server, origin, hits, encodingsSeen };
}
