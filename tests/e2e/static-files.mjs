// The static-file part of the test servers (tests/e2e/pages-server.mjs for the library and demo pages,
// tests/e2e/package-lib.mjs for the built example): content types by extension, the file a URL path
// names under a served root, and the replies. Not a test file (the runner only runs *.test.mjs).
import { createReadStream } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * The file that URL `path` (starting with `prefix`, which is served from directory `root`) names; null
 * when it would lie outside `root` (`..` segments).
 */
export function fileUnder(root, prefix, path) {
  const file = resolve(root, `.${path.slice(prefix.length - 1)}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** The headers a served file gets: its content type by extension, no-store, then `extra`. */
export function fileHeaders(file, extra = {}) {
  return { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...extra };
}

/** Answers 200 with the content of `file` (headers: fileHeaders). */
export function sendFile(res, file, extra = {}) {
  res.writeHead(200, fileHeaders(file, extra));
  createReadStream(file).pipe(res);
}

/** Answers 404 `not found` (text/plain). */
export function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}
