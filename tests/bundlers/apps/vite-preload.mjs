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
      handler: (_html, { bundle = {} }) =>
        Object.keys(bundle)
          .filter((file) => /nexudus_auth_bg.*\.wasm$/.test(file))
          .map((file) => ({
            tag: 'link',
            injectTo: 'head-prepend',
            attrs: { rel: 'preload', href: base + file, as: 'fetch', type: 'application/wasm', crossorigin: true },
          })),
    },
  };
}
