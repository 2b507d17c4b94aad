/**
 * /docs-json as integrators use it: Redocly's recommended lint finds no error, openapi-typescript generates a client
 * from it that compiles, and the security each operation declares agrees with how the route is really guarded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { backends } from '../support/backends';
import { routesOf } from '../support/routes';
import { createTestApp, type TestApp } from '../support/test-app';

const LINT = `
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
const file = process.argv[1];
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
const errors = problems.filter((p) => p.severity === 'error').map((p) => p.ruleId + ' ' + p.message + ' ' + (p.location[0]?.pointer ?? ''));
process.stdout.write(JSON.stringify(errors));
`;

/** A package's command-line entry (their export maps hide it from require.resolve). */
const bin = (path: string): string => join(__dirname, '..', '..', 'node_modules', path);

type Operation = { security?: Record<string, string[]>[] };

describe('the OpenAPI document', () => {
  let t: TestApp;
  let dir: string;
  let document: { openapi: string; servers: unknown[]; paths: Record<string, Record<string, Operation>> };
  const file = (): string => join(dir, 'openapi.json');

  beforeAll(async () => {
    t = await createTestApp(backends()[0]);
    document = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body;
    dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    writeFileSync(file(), JSON.stringify(document));
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('passes Redocly lint (recommended rules) without errors', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', LINT, file()], { cwd: process.cwd(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  }, 60_000);

  it('generates a TypeScript client with openapi-typescript that compiles', () => {
    const client = join(dir, 'client.ts');
    execFileSync(process.execPath, [bin('openapi-typescript/bin/cli.js'), file(), '-o', client], { encoding: 'utf8', stdio: 'pipe' });
    writeFileSync(join(dir, 'use.ts'), `import type { paths } from './client';\nexport type MatchBody = paths['/api/v1/match']['post']['requestBody'];\n`);
    execFileSync(process.execPath, [bin('typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--ignoreConfig', client, join(dir, 'use.ts')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  }, 60_000);

  it('declares security on every operation, empty exactly on the public routes', () => {
    const declared = new Map<string, boolean>();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) declared.set(`${method.toUpperCase()} ${path}`, (operation.security ?? []).length === 0);
    }
    const routes = routesOf(t).map((r) => ({ key: `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`, isPublic: r.access === 'public' }));
    const documented = routes.filter((r) => declared.has(r.key));
    expect(documented.length).toBeGreaterThan(15);
    expect(documented.filter((r) => declared.get(r.key) !== r.isPublic).map((r) => r.key)).toEqual([]);
  });
});
