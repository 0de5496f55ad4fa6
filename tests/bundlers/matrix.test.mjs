// The bundler matrix: the packed nexudus-auth tarball, built into a small app by each bundler with its
// defaults (no config about nexudus-auth), then signed in through in headless Chromium against the mock.
// The React app (apps/portal.js) goes through nexudus-auth/react; Rollup builds the plain app (apps/vanilla.js).
// Prints one row per bundler: config needed, signed in, bytes shipped (what the browser downloaded).
//
//   NEXUDUS_MOCK_URL=http://127.0.0.1:18787 PKG_DIR=pkg node --test tests/bundlers/matrix.test.mjs
//
// Needs: pkg/ (scripts/build.sh), a running mock, `npm ci` in tests/bundlers and tests/e2e (scripts/test.sh,
// level bundlers, does both with a cache). Helpers: matrix-lib.mjs.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { guard, launch, mockApi, resetMock } from '../e2e/lib.mjs';
import { APPS, DIST, HERE, LINK_PATH, MOCK, PORTS, ROOT, brotli, builders, cleanups, emitted, installTarball, run, serve, viteDev } from './matrix-lib.mjs';

const rows = [];
let browser;
let statics;
/** `next build` is the longest step: started in before(), while the other bundlers build and sign in. */
let nextBuild;

before(async () => {
  await installTarball();
  nextBuild = builders.next().then((r) => ({ ok: r }), (e) => ({ error: e }));
  await resetMock();
  statics = await serve(DIST, PORTS.static);
  browser = await launch();
  cleanups.push(() => browser.close());
});
after(async () => {
  console.log('\nbundler matrix: bundler | config needed | signed in | bytes shipped (raw / brotli-11)');
  for (const r of rows) console.log(`  ${r.bundler.padEnd(22)} | ${r.config.padEnd(34)} | ${r.signedIn ? 'yes' : 'NO '} | ${r.bytes}`);
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
});

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Signs in through the React app at `url`: the provider starts signed out, a wrong password is an
 * AuthError (instanceof the class of 'nexudus-auth') on `useAuth().error`, the link is disabled until
 * signed in, then signs in, shows the token (useAccessToken) and follows the AuthenticatedLink into the
 * portal. Returns what the static server shipped until signed in (when `server` is given).
 */
async function signInReact(url, server, { linkFault = false } = {}) {
  const context = await browser.newContext();
  const watch = guard(context);
  try {
    const page = await context.newPage();
    server?.reset();
    await page.goto(`${url}${url.includes('?') ? '&' : '?'}api=${encodeURIComponent(MOCK)}`);
    await page.locator('main[data-status="signedOut"]').waitFor({ timeout: 30_000 });
    const link = page.getByRole('link', { name: 'Open invoice #1042' });
    assert.equal(await link.getAttribute('aria-disabled'), 'true', 'AuthenticatedLink disabled while signed out');
    assert.equal(await link.getAttribute('href'), null, 'no href while signed out');

    await page.getByRole('button', { name: 'Wrong password' }).click();
    const alert = page.locator('p[role="alert"]'); // (Next.js adds a route announcer with role=alert)
    await alert.waitFor({ timeout: 15_000 });
    assert.equal(await alert.getAttribute('data-code'), 'invalid_credentials');
    assert.equal(await alert.getAttribute('data-instanceof'), 'true', "useAuth().error instanceof AuthError of 'nexudus-auth'");

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('main[data-status="signedIn"]').waitFor({ timeout: 15_000 });
    assert.match(await page.getByTestId('token').innerText(), /^token of \d+ chars$/, 'useAccessToken() gives the token');
    await page.waitForFunction(() => document.querySelector('a.portal')?.getAttribute('aria-disabled') === 'false');
    const shipped = server?.shipped();

    if (linkFault) {
      // the one-time token request fails (503): the link reports it (data-error) and stays on the page, usable
      await mockApi('/mock/faults', { kind: '503', path: '/api/sys/users/token/refresh', count: 1 });
      const before = page.url();
      await link.click();
      await page.waitForFunction(() => document.querySelector('a.portal')?.dataset.error === 'server', null, { timeout: 15_000 });
      assert.equal(page.url(), before, 'no navigation when the one-time link failed');
      assert.equal(await link.getAttribute('aria-disabled'), 'false', 'the link is usable again');
    }

    // unmounting the provider disposes of its client (no refresh scheduled any more); mounting it again
    // creates a new one that restores the stored session
    const live = () => page.evaluate(() => (window.nexudusClients ?? []).map((c) => c.nextRefreshAt !== null));
    assert.deepEqual((await live()).slice(-1), [true], 'the provided client schedules its refresh');
    await page.getByRole('button', { name: 'Unmount' }).click();
    await page.locator('main').waitFor({ state: 'detached' });
    assert.deepEqual([...new Set(await live())], [false], 'every client is disposed after unmount');
    await page.getByRole('button', { name: 'Mount' }).click();
    await page.locator('main[data-status="signedIn"]').waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('a.portal')?.getAttribute('aria-disabled') === 'false');

    await Promise.all([page.waitForURL((u) => u.pathname === LINK_PATH, { timeout: 15_000 }), link.click()]);
    await page.getByText('alice@example.com').first().waitFor({ timeout: 10_000 }).catch(() => {});
    const portal = await page.locator('body').innerText();
    assert.match(portal, /alice@example\.com/, 'the portal page is signed in as alice');
    watch.assertClean([/status of 400 .*\/api\/token\)$/, /status of 503 .*\/api\/sys\/users\/token\/refresh\)$/, /status of 404 .*\/favicon\.ico\)$/]);
    return shipped;
  } finally {
    await context.close();
  }
}

/** Loads the plain app and returns its <body data-*> results once it is done. */
async function plainApp(url, server) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    server.reset();
    await page.goto(`${url}?api=${encodeURIComponent(MOCK)}`);
    await page.waitForFunction(() => document.body.dataset.error || document.querySelector('a'), null, { timeout: 30_000 });
    const data = await page.evaluate(() => ({ ...document.body.dataset, link: document.querySelector('a')?.href ?? null }));
    const shipped = server.shipped();
    if (data.link) {
      await Promise.all([page.waitForURL((u) => u.pathname === LINK_PATH, { timeout: 15_000 }), page.locator('a').click()]);
      await page.getByText('alice@example.com').first().waitFor({ timeout: 10_000 }).catch(() => {});
      data.portal = await page.locator('body').innerText();
    }
    return { data, shipped };
  } finally {
    await context.close();
  }
}

/** The default entry carries the wasm inside its JS: the browser never asks for a .wasm file (a bundler
 * may still emit one, from the URL that nexudus-auth/web shares with it). */
function assertNoWasmFetched(shipped) {
  assert.deepEqual(shipped.files.filter((f) => f.endsWith('.wasm')), [], 'no .wasm downloaded');
}

function record(bundler, config, shipped, note = '') {
  const bytes = shipped ? `${shipped.raw} B / ${shipped.br} B (${kb(shipped.br)})${note}` : `–${note}`;
  rows.push({ bundler, config, signedIn: true, bytes });
  if (shipped) console.log(`${bundler}: shipped ${shipped.files.join(', ')}`);
}

test('tsc --noEmit --strict over a usage of nexudus-auth/react (bundler and Node16 resolution)', { timeout: 120_000 }, async () => {
  const tsc = join(HERE, 'node_modules', '.bin', 'tsc');
  await Promise.all(['tsconfig.json', 'tsconfig.node16.json'].map((config) => run(tsc, ['-p', config, '--noEmit', '--strict'], { cwd: join(HERE, 'types') })));
});

test('Node: one AuthError class across entries; the React provider renders on the server without a client', { timeout: 60_000 }, async () => {
  // --experimental-wasm-modules: Node imports nexudus-auth/bundler's `import * from './…_bg.wasm'` as a bundler does
  const script = `
    const main = await import('nexudus-auth');
    const embedded = await import('nexudus-auth/embedded');
    const web = await import('nexudus-auth/web');
    const bundler = await import('nexudus-auth/bundler');
    const react = await import('nexudus-auth/react');
    const { createElement: h } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const e = await main.NexudusAuth.create({ baseUrl: 'https://x.spaces.nexudus.com' }).catch((x) => x);
    const Probe = () => h('p', null, react.useAuth().status);
    const html = renderToString(h(react.NexudusAuthProvider, { options: { baseUrl: 'https://x.spaces.nexudus.com' } }, h(Probe)));
    console.log(JSON.stringify({
      same: [embedded.AuthError === main.AuthError, web.AuthError === main.AuthError, bundler.AuthError === main.AuthError],
      crossInstanceof: [e instanceof embedded.AuthError, e instanceof bundler.AuthError, react.toAuthError(e) === e],
      code: e.code, html,
    }));`;
  const { stdout } = await run(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--input-type=module', '-e', script]);
  const out = JSON.parse(stdout.trim().split('\n').pop());
  assert.deepEqual(out.same, [true, true, true], 'AuthError of nexudus-auth/embedded, /web and /bundler is the class of nexudus-auth');
  assert.deepEqual(out.crossInstanceof, [true, true, true]);
  assert.equal(out.code, 'invalid_config', 'create() in Node rejects with invalid_config');
  assert.equal(out.html, '<p>loading</p>', 'server rendering: status loading, no client created');
  // the main entries never import React (only nexudus-auth/react does, as an optional peer)
  const pkg = join(HERE, 'node_modules', 'nexudus-auth');
  for (const f of ['index.js', 'embedded/index.js', 'bundler/index.js', 'bundler/nexudus_auth.js', 'auth_error.js']) {
    assert.doesNotMatch(readFileSync(join(pkg, f), 'utf8'), /from ['"]react/, `${f} imports react`);
  }
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.deepEqual([manifest.dependencies, manifest.peerDependenciesMeta?.react], [undefined, { optional: true }], 'react: optional peer only');
});

test('esbuild (--bundle --format=esm), React app', { timeout: 120_000 }, async () => {
  const out = await builders.esbuild();
  assert.deepEqual(emitted(out, '.wasm'), [], 'no .wasm: the default entry has it inside the JS');
  record('esbuild', 'none', await signInReact(`${statics.url}/esbuild/index.html`, statics));
});

// Issue 12's size target, on the published package: what bench/run.sh's "nexudus-auth/embedded (esbuild
// bundle)" row measures (an entry that imports the default entry and creates a client, esbuild --minify).
test('the default entry bundled alone by esbuild (--minify) is at most 40 KB brotli', { timeout: 60_000 }, async () => {
  const { build } = await import('esbuild');
  const contents = "import { NexudusAuth } from 'nexudus-auth';\nwindow.__ready = NexudusAuth.create({ baseUrl: location.origin, storage: 'memory' });\n";
  const { outputFiles } = await build({ stdin: { contents, resolveDir: APPS }, bundle: true, format: 'esm', minify: true, write: false, logLevel: 'error' });
  const bytes = brotli(Buffer.from(outputFiles[0].contents));
  const limit = 40_000;
  console.log(`default entry, esbuild bundle: ${bytes} B brotli (limit ${limit} B)`);
  assert.ok(bytes <= limit, `the default bundle is ${bytes} B brotli, over issue 12's ${limit} B (bench/RESULTS.md)`);
});

test('esbuild with nexudus-auth/web: create() rejects an AuthError invalid_config naming the fix', { timeout: 120_000 }, async () => {
  const out = await builders.esbuild('esbuild-web', {}, 'vanilla-web.js');
  assert.deepEqual(emitted(out, '.wasm'), [], 'esbuild leaves new URL(…, import.meta.url) alone');
  const { data } = await plainApp(`${statics.url}/esbuild-web/index.html`, statics);
  const [isAuthError, code, message] = JSON.parse(data.error ?? '[]');
  assert.deepEqual([isAuthError, code], [true, 'invalid_config'], data.error);
  assert.match(message, /import from 'nexudus-auth' \(the default entry/, `names the fix: ${message}`);
});

/** The plain app's results: a wrong password is an AuthError, signed in, the link opens the portal signed in. */
function assertPlainSignedIn(data) {
  assert.equal(data.error, undefined, `no error: ${data.error}`);
  assert.deepEqual(JSON.parse(data.wrong), [true, 'invalid_credentials'], 'a wrong password is an AuthError');
  assert.equal(data.status, 'signedIn');
  assert.match(data.portal ?? '', /alice@example\.com/, `the authenticated link opens the portal signed in: ${JSON.stringify(data)}`);
}

test('Rollup + @rollup/plugin-node-resolve ({ browser: true }), plain app', { timeout: 120_000 }, async () => {
  const { out, warnings } = await builders.rollup();
  assert.deepEqual(warnings, [], 'no Rollup warning');
  assert.deepEqual(emitted(out, '.wasm'), []);
  const { data, shipped } = await plainApp(`${statics.url}/rollup/index.html`, statics);
  assertPlainSignedIn(data);
  record('Rollup + node-resolve', 'none ({ browser: true })', shipped);
});

test('Vite build (no config), React app', { timeout: 120_000 }, async () => {
  await builders.vite();
  const shipped = await signInReact(`${statics.url}/vite/index.html`, statics, { linkFault: true });
  assertNoWasmFetched(shipped);
  record('Vite build', 'none', shipped);
});

test('Vite build of nexudus-auth/web: the .wasm emitted as an asset, plain app', { timeout: 120_000 }, async () => {
  const out = await builders.vite('vite-web', 'web.html');
  assert.equal(emitted(out, '.wasm').length, 1, 'vite emits the .wasm as an asset');
  const { data, shipped } = await plainApp(`${statics.url}/vite-web/index.html`, statics);
  assertPlainSignedIn(data);
  record('Vite build, nexudus-auth/web', 'none', shipped);
});

/** The README's Vite plugin (apps/vite-preload.mjs, shown there verbatim) and its alias line for nexudus-auth/react. */
const README_ALIAS = "alias: [{ find: /^nexudus-auth$/, replacement: 'nexudus-auth/web' }]";
async function readmePreload() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(readFileSync(join(HERE, 'apps', 'vite-preload.mjs'), 'utf8')), 'README.md shows apps/vite-preload.mjs as it is');
  assert.ok(readme.includes(README_ALIAS), `README.md shows ${README_ALIAS}`);
  return (await import('./apps/vite-preload.mjs')).preloadNexudusWasm();
}

/** The built HTML preloads the one emitted .wasm, before the app's script. */
function assertPreloaded(out) {
  const [wasm, ...more] = emitted(out, '.wasm');
  assert.deepEqual(more, [], 'one .wasm emitted');
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const link = `<link rel="preload" href="./${wasm}" as="fetch" type="application/wasm" crossorigin>`;
  assert.ok(html.includes(link), `the built HTML preloads ${wasm}:\n${html}`);
  assert.ok(html.indexOf(link) < html.indexOf('<script'), 'the preload comes before the app script');
}

// a preload that the package's own request did not match would be a second request for the same file
const ONCE = 'the .wasm requested once: the preload is the request the package uses';

test("Vite build of nexudus-auth/web with the README's preload plugin: the hashed .wasm preloaded, requested once", { timeout: 120_000 }, async () => {
  const out = await builders.vite('vite-preload', 'web.html', { plugins: [await readmePreload()] });
  assertPreloaded(out);
  const { data } = await plainApp(`${statics.url}/vite-preload/index.html`, statics);
  assertPlainSignedIn(data);
  assert.equal(statics.requests('.wasm'), 1, ONCE);
});

test("Vite build, React app with the README's preload plugin: none on the default entry; on nexudus-auth/web (alias) preloaded, requested once", { timeout: 120_000 }, async () => {
  const plugins = [await readmePreload()];
  // without the alias nexudus-auth/react runs on the default entry, which never requests the .wasm (Vite still
  // emits it, from the URL the entries share): the plugin adds no preload
  const embedded = await builders.vite('vite-react-embedded', 'index.html', { plugins });
  assert.doesNotMatch(readFileSync(join(embedded, 'index.html'), 'utf8'), /rel="preload"/, 'no preload for the default entry');
  await signInReact(`${statics.url}/vite-react-embedded/index.html`, statics);
  assert.equal(statics.requests('.wasm'), 0, 'the default entry requests no .wasm');
  // README_ALIAS, as code
  const out = await builders.vite('vite-react-web', 'index.html', { plugins, resolve: { alias: [{ find: /^nexudus-auth$/, replacement: 'nexudus-auth/web' }] } });
  assertPreloaded(out);
  await signInReact(`${statics.url}/vite-react-web/index.html`, statics);
  assert.equal(statics.requests('.wasm'), 1, ONCE);
});

test('Vite dev server (no optimizeDeps.exclude)', { timeout: 120_000 }, async () => {
  const url = await viteDev();
  await signInReact(`${url}index.html`);
  record('Vite dev server', 'none', null, ' (dev, unbundled)');
});

test('a .wasm answered with an HTML page (a dev server or SPA fallback): AuthError invalid_config naming the fix', { timeout: 60_000 }, async () => {
  // Vite 7's dev server did this for pre-bundled deps (Vite 8 rewrites the URL): the Vite build of
  // nexudus-auth/web with its .wasm replaced by the HTML page
  const src = join(DIST, 'vite-web');
  const out = join(DIST, 'vite-html');
  cpSync(src, out, { recursive: true });
  for (const wasm of emitted(out, '.wasm')) copyFileSync(join(out, 'index.html'), join(out, wasm));
  const { data } = await plainApp(`${statics.url}/vite-html/index.html`, statics);
  const [isAuthError, code, message] = JSON.parse(data.error ?? '[]');
  assert.deepEqual([isAuthError, code], [true, 'invalid_config'], data.error);
  assert.match(message, /HTML page/);
  assert.match(message, /optimizeDeps: \{ exclude: \['nexudus-auth'\] \}/, `names the Vite line: ${message}`);
  assert.match(message, /import from 'nexudus-auth' \(the default entry/, `names the default entry: ${message}`);
});

test('webpack 5 (mode production, no experiments), plain app', { timeout: 180_000 }, async () => {
  const { warnings } = await builders.webpack();
  const { data, shipped } = await plainApp(`${statics.url}/webpack/index.html`, statics);
  assertPlainSignedIn(data);
  assertNoWasmFetched(shipped);
  record('webpack 5', 'none', shipped, warnings.length ? ` (${warnings.length} warnings)` : '');
});

test('Next.js app router (next build, Turbopack): prerendered on the server, signs in in the browser', { timeout: 300_000 }, async () => {
  const built = await nextBuild;
  if (built.error) throw built.error;
  const { out, log } = built.ok;
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(html, /data-status="loading"/, 'prerendered on the server in the loading state');
  assert.match(log, /Compiled|Generating static pages/, 'next build ran');
  const server = await serve(out, PORTS.next);
  record('Next.js 16 (Turbopack)', 'none', await signInReact(`${server.url}/`, server));
});

test('Parcel 2 (parcel build index.html)', { timeout: 300_000 }, async () => {
  await builders.parcel();
  const shipped = await signInReact(`${statics.url}/parcel/index.html`, statics);
  assertNoWasmFetched(shipped);
  record('Parcel 2', 'none', shipped);
});
