import { defineConfig } from 'vite';

// React without @vitejs/plugin-react: Vite's own transform compiles TSX with the automatic JSX runtime
// (tsconfig.json `"jsx": "react-jsx"`). No Fast Refresh, which an example does not need.
export default defineConfig({
  // the mock server (and the e2e test) serve the built app at /examples/react-portal/
  base: '/examples/react-portal/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { target: 'es2022' },
});
