// Helpers of matrix.test.mjs (the bundler matrix): paths, the packed tarball installed into this folder's
// node_modules, one builder per bundler, a static server that counts the bytes it ships, and the browser
// steps that sign in through a built app.
import { spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const PKG_DIR = resolve(process.env.PKG_DIR ?? join(ROOT, 'pkg'));
export const APPS = join(HERE, 'apps');
export const DIST = join(HERE, 'dist');
export const MOCK = (process.env.NEXUDUS_MOCK_URL ?? 'http://127.0.0.1:18787').replace(/\/+$/, '');
/** Ports of this level: the static server, Vite's dev server, `next start`-free static export server. */
const BASE_PORT = Number(process.env.BUNDLERS_PORT ?? 18832);
export const PORTS = { static: BASE_PORT, viteDev: BASE_PORT + 1, next: BASE_PORT + 2 };
export const LINK_PATH = '/portal/invoices/1042';

/** Run in reverse order by the test file's after() hook. */
export const cleanups = [];

/** Runs a command; resolves {stdout, stderr}; rejects on a non-zero exit with the output's tail. */
export function run(cmd, args, { cwd = HERE, env = {}, timeoutMs = 240_000 } = {}) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), rej(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return res({ stdout, stderr });
      rej(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${signal ?? code}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
    });
  });
}

/**
 * `npm pack` of pkg/, unpacked into node_modules/nexudus-auth exactly as npm installs a tarball (the
 * package has no dependencies and no install scripts), so the locked devDependencies stay untouched.
 */
export async function installTarball() {
  if (!existsSync(join(PKG_DIR, 'package.json'))) throw new Error(`no ${PKG_DIR}/package.json: run scripts/build.sh first`);
  const tmp = mkdtempSync(join(tmpdir(), 'nexudus-matrix-'));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: PKG_DIR });
  const tarball = join(tmp, JSON.parse(stdout)[0].filename);
  await run('tar', ['-xzf', tarball, '-C', tmp]);
  const dest = join(HERE, 'node_modules', 'nexudus-auth');
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(tmp, 'package'), dest, { recursive: true });
  return { tarball, version: JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8')).version };
}

const page = (script, { module = true } = {}) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>matrix</title><link rel="icon" href="data:,"></head>` +
  `<body><div id="root"></div><script ${module ? 'type="module" ' : ''}src="${script}"></script></body></html>\n`;

function fresh(name) {
  const out = join(DIST, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return out;
}

/** The builders: each writes dist/<name>/ (index.html + what the bundler emitted) and returns that folder. */
export const builders = {
  /** esbuild's defaults (`--bundle --format=esm --minify`) of apps/<entry>. */
  async esbuild(name = 'esbuild', extra = {}, entry = 'react-main.js') {
    const { build } = await import('esbuild');
    const out = fresh(name);
    await build({ entryPoints: [join(APPS, entry)], bundle: true, format: 'esm', minify: true, outdir: out, logLevel: 'error', ...extra });
    writeFileSync(join(out, 'index.html'), page(entry));
    return out;
  },
  /** Rollup + @rollup/plugin-node-resolve ({ browser: true }) of a plain app (React needs the CJS plugins). */
  async rollup(name = 'rollup', entry = 'vanilla.js') {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const out = fresh(name);
    const warnings = [];
    const bundle = await rollup({ input: join(APPS, entry), plugins: [nodeResolve({ browser: true })], onwarn: (w) => warnings.push(String(w.message)) });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    writeFileSync(join(out, 'index.html'), page(entry));
    return { out, warnings };
  },
  /** `vite build` with no config file (configFile: false; `config` adds `plugins` / `resolve`) of apps/<html> (written as dist/<name>/index.html). */
  async vite(name = 'vite', html = 'index.html', config = {}) {
    const { build } = await import('vite');
    const out = fresh(name);
    await build({ ...config, root: APPS, base: './', configFile: false, logLevel: 'error', build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(APPS, html) } } });
    if (html !== 'index.html') cpSync(join(out, html), join(out, 'index.html'));
    return out;
  },
  /** webpack 5's defaults (mode production, no loaders, no experiments), the plain app. */
  async webpack(name = 'webpack') {
    const { default: webpack } = await import('webpack');
    const out = fresh(name);
    const stats = await new Promise((res, rej) =>
      webpack({ mode: 'production', context: APPS, entry: './vanilla.js', output: { path: out, filename: 'main.js' } }, (e, s) => (e ? rej(e) : res(s))),
    );
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    writeFileSync(join(out, 'index.html'), page('main.js', { module: false }));
    return { out, warnings: stats.toJson({ all: false, warnings: true }).warnings.map((w) => w.message) };
  },
  /** Parcel 2's defaults (`parcel build index.html`). */
  async parcel(name = 'parcel') {
    const out = fresh(name);
    await run(join(HERE, 'node_modules', '.bin', 'parcel'), ['build', join(APPS, 'index.html'), '--dist-dir', out, '--public-url', './', '--no-cache', '--no-source-maps', '--log-level', 'error']);
    return out;
  },
  /** `next build` (app router, Turbopack by default; `--webpack` for webpack) of next/, exported statically. */
  async next(name = 'next', args = []) {
    const dir = join(HERE, 'next');
    cpSync(join(APPS, 'portal.js'), join(dir, 'app', 'portal.js'));
    rmSync(join(dir, '.next'), { recursive: true, force: true });
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const res = await run(process.execPath, [join(HERE, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build', ...args], {
      cwd: dir,
      env: { NEXT_TELEMETRY_DISABLED: '1' },
    });
    const out = fresh(name);
    cpSync(join(dir, 'out'), out, { recursive: true });
    return { out, log: res.stdout };
  },
};

/** Vite's dev server (no config, or `config`) on apps/ on `port`; resolves its URL. Stopped by the cleanups. */
export async function viteDev(port = PORTS.viteDev, config = {}) {
  const { createServer: create } = await import('vite');
  const cacheDir = mkdtempSync(join(tmpdir(), 'nexudus-vite-'));
  const server = await create({ root: APPS, configFile: false, logLevel: 'silent', cacheDir, server: { host: '127.0.0.1', port, strictPort: true }, ...config });
  await server.listen();
  cleanups.push(async () => {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });
  return `http://127.0.0.1:${port}/`;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain' };
/** The brotli -q 11 size of `buf`, in bytes. */
export const brotli = (buf) => brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length;

/**
 * A static server of `root` on `port`; `server.shipped()` = {raw, br, files} of everything served since the
 * last `server.reset()`: what the browser downloaded.
 */
export async function serve(root, port) {
  let files = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = resolve(root, `.${path}`);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`; // Next's exported routes
    if (!existsSync(file)) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    files.push(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((r, j) => server.once('error', j).listen(port, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return {
    url: `http://127.0.0.1:${port}`,
    reset: () => void (files = []),
    /** How many requests since reset() asked for a file whose name ends with `ext`. */
    requests: (ext) => files.filter((f) => f.endsWith(ext)).length,
    shipped: () => {
      const uniq = [...new Set(files)];
      const bufs = uniq.map((f) => readFileSync(f));
      return { raw: bufs.reduce((n, b) => n + b.length, 0), br: bufs.reduce((n, b) => n + brotli(b), 0), files: uniq.map((f) => f.slice(root.length + 1)) };
    },
  };
}

/** The files under `dir` whose name ends with `ext`. */
export function emitted(dir, ext) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSyncSafe(d)) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) found.push(p.slice(dir.length + 1));
    }
  };
  walk(dir);
  return found;
}
const readdirSyncSafe = (d) => (existsSync(d) ? readdirSync(d, { withFileTypes: true }) : []);
