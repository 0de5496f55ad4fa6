// scripts/rollup.shell.mjs: the rollup config scripts/build.sh runs for each package entry that carries the
// JavaScript shell (pkg/index.js, pkg/bundler/index.js). `ENTRY` is the staged entry, with the shell's modules
// copied next to it as ./shell/*.js; rollup writes the entry with those modules inlined to `OUT`.
//
// Why rollup: it joins ES modules into one (scope hoisting, names renamed where two modules collide) and keeps
// their comments and JSDoc, so the published entry stays readable and a page without a bundler makes one
// request, not one per module. Everything else the entry or the shell imports stays an import:
//   * the shell's './nexudus_auth.js' is the entry's own wasm-bindgen glue (pkg/nexudus_auth.js for the web
//     entry, pkg/bundler/nexudus_auth.js for the bundler entry): each entry gets the shell wired to ITS glue;
//   * the shell's './auth_error.js' is the module the entry imports AuthError from (`__AUTH_ERROR_MODULE__`,
//     replaced by build.sh afterwards), so the shell throws the very class the wasm throws and the entry exports.
import { dirname, join } from 'node:path';

const entry = process.env.ENTRY;
const out = process.env.OUT;
if (!entry || !out) throw new Error('rollup.shell.mjs: set ENTRY (the staged entry) and OUT');
const shellDir = join(dirname(entry), 'shell');
const AS_ENTRY_IMPORTS = { './nexudus_auth.js': './nexudus_auth.js', './auth_error.js': '__AUTH_ERROR_MODULE__' };

export default {
  input: entry,
  treeshake: false, // the entry's and the shell's code as written: nothing is dropped or reordered
  plugins: [{
    name: 'entry-imports',
    resolveId(source, importer) {
      if (!importer) return null; // the entry itself
      const fromShell = dirname(importer) === shellDir;
      if (fromShell && source in AS_ENTRY_IMPORTS) return { id: AS_ENTRY_IMPORTS[source], external: 'absolute' };
      if (fromShell && /^\.\/[\w-]+\.js$/.test(source)) return null; // another shell module: inlined
      if (!fromShell && source.startsWith('./shell/')) return null; // the entry's shell imports: inlined
      if (fromShell) throw new Error(`${importer}: import '${source}': the shell imports only ./<module>.js, ./nexudus_auth.js and ./auth_error.js`);
      return { id: source, external: 'absolute' }; // the entry's other imports stay as they are
    },
  }],
  output: { file: out, format: 'es' },
};
