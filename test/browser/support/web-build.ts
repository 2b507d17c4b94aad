import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const WEB = join(ROOT, 'apps', 'web');
export const WEB_INDEX = join(WEB, 'dist', 'index.html');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds apps/web/dist with Vite when it is missing or older than the sources. */
export function ensureWebBuilt(): void {
  const sources = Math.max(
    newest(join(WEB, 'src')),
    newest(join(WEB, 'index.html')),
    newest(join(WEB, 'vite.config.mjs')),
    existsSync(join(WEB, 'public')) ? newest(join(WEB, 'public')) : 0,
  );
  if (existsSync(WEB_INDEX) && statSync(WEB_INDEX).mtimeMs >= sources) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // jest sets NODE_ENV=test, which would give a development build of React: build for production.
  const run = spawnSync(process.execPath, [vite, 'build', WEB, '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (run.status !== 0) throw new Error(`vite build apps/web failed:\n${run.stdout}\n${run.stderr}`);
}
