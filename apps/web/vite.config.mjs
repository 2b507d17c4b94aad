import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside every text asset of the build, so the server
 * sends the smallest encoding without compressing per request (at the per-request level a br bundle came out
 * larger than gzip). A variant is kept only when smaller than the file; the server falls back to the file.
 */
function precompress() {
  const TEXT = /\.(?:js|mjs|css|html|svg|json|txt|webmanifest|map)$/;
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(options) {
      for (const file of walk(options.dir)) {
        if (!TEXT.test(file) || statSync(file).size < 1024) continue;
        const raw = readFileSync(file);
        const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length) writeFileSync(`${file}.br`, br);
        if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

/**
 * The web app (政策匹配 / 招商筛选), served by the Nest process at `/` from apps/web/dist.
 * No React plugin: Vite's built-in Oxc transform compiles JSX with the automatic runtime.
 * `npm run dev:web` runs a dev server that forwards /api to a running API on :3000.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  plugins: [precompress()],
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
