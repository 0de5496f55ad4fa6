// Helpers of package.test.mjs (not a test file: the runner only runs tests/e2e/*.test.mjs): paths of the
// package and the example, a child-process runner, brotli sizing, and the static server that serves the
// built example and the installed tarball.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { fileUnder, notFound, sendFile } from './static-files.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const PKG_DIR = resolve(process.env.PKG_DIR ?? join(ROOT, 'pkg'));
export const EXAMPLE = join(ROOT, 'examples', 'react-portal');
export const TYPES = join(HERE, 'types');
export const BASE_PATH = '/examples/react-portal/';
export const PASSWORD = 'Passw0rd!';
export const LINK_PATH = '/portal/invoices/1042';
export const STEP_MS = 240_000;

/** Run in reverse order by the test file's after() hook (servers, browsers, temp dirs). */
export const cleanups = [];

/** Runs a command; resolves with {code, stdout, stderr}; rejects on a non-zero exit (with the output's tail). */
export function run(cmd, args, { cwd = ROOT, env = {}, allowFail = false, timeoutMs = STEP_MS } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr };
      if ((code === 0 && !signal) || allowFail) return resolvePromise(result);
      const tail = (s) => s.split('\n').filter((l) => !/Unknown user config "nodedir"/.test(l)).join('\n').slice(-4000);
      reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${signal ?? code}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`));
    });
  });
}

export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
export const brotli = (buf) =>
  brotliCompressSync(buf, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  }).length;

/**
 * A static server on a free loopback port: examples/react-portal/dist at /examples/react-portal/, and the
 * installed tarball (examples/react-portal/node_modules/nexudus-auth) at /nexudus-auth/.
 */
export async function serveStatic() {
  const roots = [
    [BASE_PATH, join(EXAMPLE, 'dist'), true],
    ['/nexudus-auth/', join(EXAMPLE, 'node_modules', 'nexudus-auth'), false],
  ];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>blank</title><link rel="icon" href="data:,">');
      return;
    }
    const hit = roots.find(([prefix]) => path.startsWith(prefix));
    if (!hit) {
      notFound(res);
      return;
    }
    const [prefix, root, spa] = hit;
    let file = fileUnder(root, prefix, path);
    if (file === null) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) {
      if (!spa || extname(file)) {
        notFound(res);
        return;
      }
      file = join(root, 'index.html'); // SPA fallback
    }
    sendFile(res, file);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${server.address().port}`;
}
