import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The directory holding `rules/` and `seeds/`, found upwards from here so source and compiled code agree. */
export function projectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'rules')) && existsSync(join(dir, 'seeds', 'catalog'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`rules/ and seeds/ not found above ${start}`);
    dir = parent;
  }
}
