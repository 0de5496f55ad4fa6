// Shortens the names the web build's wasm and its glue use to talk to each other (scripts/build.sh,
// release only; measured in bench/RESULTS.md "Item 2").
//
// wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and every closure export after its full
// Rust type (up to 300 characters). Each name is stored twice, in the wasm's import/export section and
// as a property name in the glue, and neither brotli nor a JS minifier shortens it (a property name is
// not a variable). binaryen's `--minify-imports-and-exports-and-modules` (the pass Emscripten uses)
// renames them in the wasm to `a`, `b`, … and prints the mapping; this script applies that mapping to the
// glue and its .d.ts files, then proves that the glue provides exactly the imports the wasm asks for and
// only calls exports that exist.
//
// The same wasm-opt run drops the `target_features` section (read when the file is loaded, so it must be
// the last run; engines ignore it).
//
// Only for wasm-bindgen's `--target web` output: its glue hands the imports over as one object. The
// bundler target imports them as an ES module by file name, which a renamed module would break.
//
// usage: node scripts/minify-wasm-names.mjs <dir> <crate>   (reads $WASM_OPT; rewrites <dir> in place)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [dir, crate] = process.argv.slice(2);
if (!dir || !crate) throw new Error('usage: minify-wasm-names.mjs <dir> <crate>');
const wasmOpt = process.env.WASM_OPT;
if (!wasmOpt) throw new Error('WASM_OPT is not set: run scripts/setup.sh');

const wasmPath = path.join(dir, `${crate}_bg.wasm`);
const gluePath = path.join(dir, `${crate}.js`);
const die = (msg) => {
  console.error(`minify-wasm-names: ${msg}`);
  process.exit(1);
};
/** `s` escaped for use inside a regular expression, so it matches only itself. */
const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `s`, taken literally, as a regular expression that does not match inside a longer identifier. */
const word = (s) => new RegExp(`(?<![\\w$])${literal(s)}(?![\\w$])`, 'g');

const before = new WebAssembly.Module(fs.readFileSync(wasmPath));
const oldModules = new Set(WebAssembly.Module.imports(before).map((i) => i.module));
const glueModule = `./${crate}_bg.js`;
if (oldModules.size !== 1 || !oldModules.has(glueModule)) {
  die(`expected every import from "${glueModule}", got ${[...oldModules].join(', ')}`);
}

const out = `${wasmPath}.min`;
const mapping = JSON.parse(
  execFileSync(wasmOpt, [wasmPath, '--minify-imports-and-exports-and-modules', '--strip-target-features', '-o', out], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  }),
);
const after = new WebAssembly.Module(fs.readFileSync(out));
const imports = WebAssembly.Module.imports(after);
const newModules = new Set(imports.map((i) => i.module));
if (newModules.size !== 1) die(`expected one import module after minifying, got ${[...newModules].join(', ')}`);
const [newModule] = newModules;

let glue = fs.readFileSync(gluePath, 'utf8');
// Imports: the keys of the object __wbg_get_imports() builds, then the module it is handed over as.
for (const [, base, short] of mapping.imports) {
  const key = new RegExp(`(?<![\\w$])${literal(base)}(?=: function)`, 'g');
  const n = glue.match(key)?.length ?? 0;
  if (n !== 1) die(`import ${base}: ${n} keys in the glue (expected 1)`);
  glue = glue.replace(key, JSON.stringify(short));
}
const moduleKey = `${JSON.stringify(glueModule)}: import0`;
if (!glue.includes(moduleKey)) die(`no \`${moduleKey}\` in the glue`);
glue = glue.replace(moduleKey, `${JSON.stringify(newModule)}: import0`);
// Exports: every `wasm.<name>`.
for (const [name, short] of mapping.exports) {
  glue = glue.replace(word(`wasm.${name}`), `wasm[${JSON.stringify(short)}]`);
}

// The glue's own adapters for closures are named after the same Rust types: only a minifier renames
// them, and the unbundled files (`<script type=module>`, a CDN) are not minified.
const adapters = [...glue.matchAll(/^function (wasm_bindgen_[0-9a-f]{16}_\w+)\(/gm)].map((m) => m[1]);
adapters.forEach((name, i) => {
  glue = glue.replace(word(name), `__wbg_adapter${i}`);
});

// Prove the rewrite: the glue's import object has exactly the wasm's imports, and every export it
// reads exists.
const exportNames = new Set(WebAssembly.Module.exports(after).map((e) => e.name));
const stale = [...glue.matchAll(/(?<![\w$])wasm\.([\w$]+)/g)].map((m) => m[1]).filter((n) => !exportNames.has(n));
if (stale.length) die(`the glue still reads old exports: ${[...new Set(stale)].join(', ')}`);
const provided = [...glue.matchAll(/^ {8}("[^"]+"): function/gm)].map((m) => JSON.parse(m[1]));
const wanted = imports.map((i) => i.name);
if (provided.length !== wanted.length || wanted.some((n) => !provided.includes(n))) {
  die(`the glue provides ${provided.length} imports, the wasm wants ${wanted.length}`);
}
fs.writeFileSync(gluePath, glue);
fs.renameSync(out, wasmPath);

// The type declarations of the raw exports (InitOutput and the wasm's own .d.ts).
for (const file of [`${crate}.d.ts`, `${crate}_bg.wasm.d.ts`]) {
  const p = path.join(dir, file);
  if (!fs.existsSync(p)) continue;
  let dts = fs.readFileSync(p, 'utf8');
  for (const [name, short] of mapping.exports) {
    dts = dts
      .replace(word(`readonly ${name}:`), `readonly ${JSON.stringify(short)}:`)
      .replace(word(`export const ${name}:`), `export const ${short}:`);
  }
  fs.writeFileSync(p, dts);
}
console.log(`   ${mapping.imports.length} imports, ${mapping.exports.length} exports and ${adapters.length} glue adapters renamed (module "${newModule}")`);
