// scripts/rollup.shell.mjs: the rollup config scripts/build.sh runs for each package entry that carries the
// JavaScript shell (pkg/index.js, pkg/bundler/index.js). `ENTRY` is the staged entry, with the shell's modules
// copied next to it as ./shell/*.js; rollup writes the entry with those modules inlined to `OUT`.
//
// Why rollup: it joins ES modules into one (scope hoisting, names renamed where two modules collide) and keeps
// their comments and JSDoc, so the published entry stays readable and a page without a bundler makes one
// request, not one per module. What stays an import:
//   * './auth_error.js', the one AuthError class of every entry (the shell's './auth_error.js' and the entry's
//     `__AUTH_ERROR_MODULE__`): the shell throws the very class the wasm throws and the entry exports;
//   * the web entry (pkg/index.js) inlines everything else too: its wasm-bindgen glue (pkg/nexudus_auth.js,
//     with the snippet that re-exports AuthError) and wasm_load.js. A page that loads the package without a
//     bundler then waits for two files (index.js, then auth_error.js), not four levels of imports: measured
//     on the 40 ms + 9 Mbit/s profile of bench/run.sh, 277 -> 224 ms for `/web`, 264 -> 214 ms for the default
//     entry (bench/RESULTS.md, "One file for the web entry");
//   * the bundler entry keeps its glue (pkg/bundler/nexudus_auth.js) and wasm_load.js as imports: its wasm
//     imports './nexudus_auth_bg.js' by name, which the bundler resolves next to it, and the shell must share
//     that glue's module.
import { dirname, join, resolve } from 'node:path';

const entry = process.env.ENTRY;
const out = process.env.OUT;
if (!entry || !out) throw new Error('rollup.shell.mjs: set ENTRY (the staged entry) and OUT');
const dir = dirname(entry);
const shellDir = join(dir, 'shell');
const inlineGlue = process.env.INLINE_GLUE === '1'; // the web entry (scripts/build.sh)
const AS_ENTRY_IMPORTS = { './nexudus_auth.js': './nexudus_auth.js', './auth_error.js': '__AUTH_ERROR_MODULE__' };
const AUTH_ERROR = { id: './auth_error.js', external: 'absolute' };

/** The bundler entry: the shell inlined, every other import kept (the shell's wired to the entry's). */
function keepImports(source, importer) {
  const fromShell = dirname(importer) === shellDir;
  if (fromShell && source in AS_ENTRY_IMPORTS) return { id: AS_ENTRY_IMPORTS[source], external: 'absolute' };
  if (fromShell && /^\.\/[\w-]+\.js$/.test(source)) return null; // another shell module: inlined
  if (!fromShell && source.startsWith('./shell/')) return null; // the entry's shell imports: inlined
  if (fromShell) throw new Error(`${importer}: import '${source}': the shell imports only ./<module>.js, ./nexudus_auth.js and ./auth_error.js`);
  return { id: source, external: 'absolute' };
}

/** The web entry: everything inlined but the package's auth_error.js (next to the entry). */
function inlineAllButAuthError(source, importer) {
  if (source === '__AUTH_ERROR_MODULE__') return AUTH_ERROR;
  const fromShell = dirname(importer) === shellDir;
  // the shell's './nexudus_auth.js' and './auth_error.js' are the entry's neighbours
  const target = resolve(fromShell && source in AS_ENTRY_IMPORTS ? dir : dirname(importer), source);
  return target === join(dir, 'auth_error.js') ? AUTH_ERROR : target;
}

export default {
  input: entry,
  treeshake: false, // the entry's and the shell's code as written: nothing is dropped or reordered
  plugins: [{
    name: 'entry-imports',
    resolveId(source, importer) {
      if (!importer) return null; // the entry itself
      return inlineGlue ? inlineAllButAuthError(source, importer) : keepImports(source, importer);
    },
  }],
  output: { file: out, format: 'es' },
};
