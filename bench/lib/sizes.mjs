// Step 2 of the benchmark: bundle every candidate with esbuild into bench/results/bundles/ and measure
// raw / gzip / brotli sizes, plus the wasm size breakdown (bench/wasm-size.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { BENCH, BUNDLES, PEERS, OURS, log, sizes, addSizes, walk } from './common.mjs';

/**
 * Fills result.versions, result.sizes (and result.wasmSize / result.notes); returns
 * { sizeRows, wasmSizeMd }: the size-table row order and the wasm breakdown as markdown (or null).
 */
export async function measureSizes({ PKG, HAVE_PKG, result, compare }) {
  fs.rmSync(BUNDLES, { recursive: true, force: true });
  fs.mkdirSync(BUNDLES, { recursive: true });
  const esbuild = await import('esbuild');
  result.versions.esbuild = esbuild.version;
  for (const p of PEERS) {
    result.versions[p.pkg] = JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', p.pkg, 'package.json'), 'utf8')).version;
  }
  const resolveOurs = (pkg) => ({
    name: 'nexudus-auth-local',
    setup(b) {
      b.onResolve({ filter: /^nexudus-auth$/ }, () => ({ path: path.join(pkg, 'index.js') }));
      b.onResolve({ filter: /^nexudus-auth\/embedded$/ }, () => ({ path: path.join(pkg, 'embedded', 'index.js') }));
    },
  });
  async function bundle(entry, outName, pkg = PKG) {
    const r = await esbuild.build({
      entryPoints: [path.join(BENCH, 'entries', entry)], bundle: true, minify: true, format: 'esm',
      platform: 'browser', write: false, logLevel: 'warning', plugins: [resolveOurs(pkg)],
    });
    const js = Buffer.from(r.outputFiles[0].contents);
    fs.mkdirSync(path.dirname(path.join(BUNDLES, outName)), { recursive: true });
    fs.writeFileSync(path.join(BUNDLES, outName), js);
    return js;
  }

  log('bundling with esbuild', esbuild.version, '(minified ESM, platform browser)');
  const sizeRows = [];
  {
    const js = await bundle('empty.js', 'empty.js');
    result.sizes.empty = { js: sizes(js) };
  }
  if (HAVE_PKG) {
    // a) the package files as published (what `import '/pkg/index.js'` fetches)
    const shared = {
      'auth_error.js (AuthError)': path.join(PKG, 'auth_error.js'),
      // packages before the web entry inlined its glue (--pkg / --compare of an older build): those files too
      'nexudus_auth.js (glue)': path.join(PKG, 'nexudus_auth.js'),
      ...Object.fromEntries(walk(path.join(PKG, 'snippets')).filter((f) => f.endsWith('.js'))
        .map((f) => [`${path.relative(PKG, f)} (snippet)`, f])),
    };
    const files = {
      'index.js (entry)': path.join(PKG, 'index.js'),
      ...shared,
      'nexudus_auth_bg.wasm': path.join(PKG, 'nexudus_auth_bg.wasm'),
    };
    const parts = {};
    for (const [k, f] of Object.entries(files)) if (fs.existsSync(f)) parts[k] = sizes(fs.readFileSync(f));
    const wasm = parts['nexudus_auth_bg.wasm'];
    const jsParts = Object.entries(parts).filter(([k]) => !k.endsWith('.wasm')).map(([, v]) => v);
    const pkgRow = { parts, js: addSizes(jsParts), wasm, total: addSizes([...jsParts, wasm]) };
    result.sizes[`${OURS}/web (pkg files)`] = pkgRow;
    // b) bundled the same way as the peers (entry + wrapper + glue + snippet minified into one file) + the .wasm
    const js = await bundle('nexudus-auth.js', 'nexudus-auth.js');
    fs.copyFileSync(path.join(PKG, 'nexudus_auth_bg.wasm'), path.join(BUNDLES, 'nexudus_auth_bg.wasm'));
    const jsS = sizes(js);
    result.sizes[`${OURS}/web (esbuild bundle)`] = { js: jsS, wasm, total: addSizes([jsS, wasm]) };
    sizeRows.push(`${OURS}/web (esbuild bundle)`);
    // c) nexudus-auth/embedded (the wasm inside the JS): bundled like the peers, and as published
    if (fs.existsSync(path.join(PKG, 'embedded', 'index.js'))) {
      const ejs = sizes(await bundle('nexudus-auth-embedded.js', 'nexudus-auth-embedded.js'));
      result.sizes[`${OURS}/embedded (esbuild bundle)`] = { js: ejs, total: ejs };
      const eparts = {};
      const efiles = { 'embedded/index.js (entry)': path.join(PKG, 'embedded', 'index.js'), 'index.js (web entry it wraps)': path.join(PKG, 'index.js'), ...shared,
        'embedded/nexudus_auth_bg.wasm.js (the wasm)': path.join(PKG, 'embedded', 'nexudus_auth_bg.wasm.js') };
      for (const [k, f] of Object.entries(efiles)) if (fs.existsSync(f)) eparts[k] = sizes(fs.readFileSync(f));
      const etotal = addSizes(Object.values(eparts));
      result.sizes[`${OURS}/embedded (pkg files)`] = { parts: eparts, js: etotal, total: etotal };
      sizeRows.push(`${OURS}/embedded (esbuild bundle)`);
    }
    if (compare) {
      // the other package, bundled the same way into bundles/compare/ (its glue finds its .wasm beside it)
      const cjs = sizes(await bundle('nexudus-auth.js', 'compare/nexudus-auth.js', compare.dir));
      fs.copyFileSync(path.join(compare.dir, 'nexudus_auth_bg.wasm'), path.join(BUNDLES, 'compare', 'nexudus_auth_bg.wasm'));
      const cw = sizes(fs.readFileSync(path.join(compare.dir, 'nexudus_auth_bg.wasm')));
      result.sizes[`${OURS} [${compare.label}] (esbuild bundle)`] = { js: cjs, wasm: cw, total: addSizes([cjs, cw]) };
      sizeRows.push(`${OURS} [${compare.label}] (esbuild bundle)`);
      if (compare.embedded) {
        const cejs = sizes(await bundle('nexudus-auth-embedded.js', 'compare/nexudus-auth-embedded.js', compare.dir));
        result.sizes[`${OURS} [${compare.label}]/embedded (esbuild bundle)`] = { js: cejs, total: cejs };
        sizeRows.push(`${OURS} [${compare.label}]/embedded (esbuild bundle)`);
      }
    }
    sizeRows.push(`${OURS}/web (pkg files)`);
    if (result.sizes[`${OURS}/embedded (pkg files)`]) sizeRows.push(`${OURS}/embedded (pkg files)`);
  }
  for (const p of PEERS) {
    const js = await bundle(p.entry, p.entry);
    const s = sizes(js);
    result.sizes[p.id] = { js: s, total: s };
    sizeRows.push(p.id);
  }

  // where the wasm bytes go (name section of the non-optimised wasm-bindgen output; see wasm-size.mjs)
  let wasmSizeMd = null;
  if (HAVE_PKG) {
    try {
      const { report } = await import('../wasm-size.mjs');
      const r = report({ top: 25, pkgDir: PKG });
      wasmSizeMd = r.md;
      result.wasmSize = { shipped: r.shipped, byConcern: r.analysis?.byConcern, byCrate: r.analysis?.byCrate, top: r.analysis?.top, monos: r.analysis?.monos, codeTotal: r.analysis?.codeTotal, dataBytes: r.analysis?.dataBytes, error: r.error };
    } catch (e) {
      result.notes.push(`wasm size analysis failed: ${e.message}`);
    }
  }
  return { sizeRows, wasmSizeMd };
}
