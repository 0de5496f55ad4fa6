// The origin the browser tests load their pages from: a small static server, on another port than the
// API (the mock), so every call the library makes is cross-origin as in production (portal and API on
// different origins): the `client_id` header makes each token call a CORS-preflighted request, and
// `Retry-After` is only readable because the mock exposes it. Not a test file (the runner only runs
// tests/e2e/*.test.mjs); lib.mjs starts one per test file.
//
// Serves www/ at / (the demo; blank.html for the library tests) and the package at /pkg/. The demo's
// index.html names the API: `<meta name="nexudus-api" content="<api>">` (read by www/js/api.js) and
// the API origin is added to its CSP's connect-src. Links to the mock's own pages (/mock/outbox) are
// redirected to the API origin. A test can add pages or headers of its own (setPage): a document
// fulfilled by Playwright instead would have no address, and Chromium's Local Network Access would
// then refuse its calls to the loopback API.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileHeaders, fileUnder, notFound, sendFile } from './static-files.mjs';


/** index.html naming the API origin (meta) and allowed to connect to it (CSP). */
function demoIndex(file, api) {
  const html = readFileSync(file, 'utf8');
  const csp = html.replace(/(connect-src 'self')/, `$1 ${api}`);
  if (csp === html) throw new Error(`${file}: no "connect-src 'self'" in its CSP to extend with ${api}`);
  return csp.replace('</head>', `  <meta name="nexudus-api" content="${api}">\n</head>`);
}

/** Pages and headers the tests set: path → {body?, type?, headers?}. */
const custom = new Map();

/**
 * Serves `path` with `body` (of content type `type`) and extra `headers`; without a body, the file
 * the path names, with the extra headers.
 * @param {string} path
 * @param {{body?: string, type?: string, headers?: Record<string, string>}} page
 */
export function setPage(path, page) {
  custom.set(path, page);
}

/**
 * Starts the server on a free loopback port (or `port`); resolves with its origin. The server does not
 * keep the process alive (unref), so a test file ends when its tests do.
 * @param {{api: string, www: string, pkg: string, port?: number}} opts
 */
export async function servePages({ api, www, pkg, port = 0 }) {
  const roots = [['/pkg/', resolve(pkg)], ['/', resolve(www)]];
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://pages').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const page = custom.get(path) ?? {};
    if (page.body !== undefined) {
      res.writeHead(200, { 'content-type': page.type ?? 'text/html; charset=utf-8', 'cache-control': 'no-store', ...page.headers });
      res.end(page.body);
      return;
    }
    if (path.startsWith('/mock/')) {
      res.writeHead(302, { location: `${api}${req.url}` }).end();
      return;
    }
    const [prefix, root] = roots.find(([p]) => path.startsWith(p));
    let file = fileUnder(root, prefix, path);
    if (file === null) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      notFound(res);
      return;
    }
    if (file === join(resolve(www), 'index.html')) {
      res.writeHead(200, fileHeaders(file, page.headers)).end(demoIndex(file, api));
      return;
    }
    sendFile(res, file, page.headers);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  server.unref();
  return `http://127.0.0.1:${server.address().port}`;
}
