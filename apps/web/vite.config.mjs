import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app (政策匹配 / 招商筛选), served by the Nest process at `/` from apps/web/dist.
 * No React plugin: Vite's built-in Oxc transform compiles JSX with the automatic runtime.
 * `npm run dev:web` runs a dev server that forwards /api to a running API on :3000.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Everything is same-origin, loaded as files: nothing inlined, so the CSP can forbid inline scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // The API contract is types only (erased when bundled); the alias resolves it should a value ever be imported from it.
  resolve: { alias: { '@matcher/contracts': fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url)) } },
  server: { proxy: { '/api': 'http://localhost:3000', '/docs': 'http://localhost:3000' } },
});
