// vite.config.js: write nexudus-auth/web's <link rel="preload"> with the .wasm's hashed name into the built HTML,
// so the browser downloads the wasm alongside the app's JavaScript (README.md, "Loading: one round trip").
/** @returns {import('vite').Plugin} */
export function preloadNexudusWasm() {
  let base = '/';
  return {
    name: 'preload-nexudus-wasm',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle = {} }) {
        const files = Object.values(bundle);
        // the default entry carries the wasm inside its JavaScript and never requests the file
        const embedded = (f) => f.type === 'chunk' && f.moduleIds.some((id) => id.endsWith('nexudus_auth_bg.wasm.js'));
        if (files.some(embedded)) return [];
        return files
          .filter((f) => f.type === 'asset' && /nexudus_auth_bg.*\.wasm$/.test(f.fileName))
          .map((f) => ({
            tag: 'link',
            injectTo: 'head-prepend',
            attrs: { rel: 'preload', href: base + f.fileName, as: 'fetch', type: 'application/wasm', crossorigin: true },
          }));
      },
    },
  };
}
