import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { projectRoot } from '@matcher/catalog';

/**
 * The web app's pages carry a stricter policy than the API's: scripts and styles only from this origin (the
 * build inlines nothing), no plugins, no framing, requests only back to the API.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_THE_APP = /^\/(?:api|docs)(?:[/-]|$)/;

export function webDistDir(): string {
  return join(projectRoot(), 'apps', 'web', 'dist');
}

/**
 * The files the build compressed ahead of time (`x.js.br`, `x.js.gz` beside `x.js`), by URL path: which encodings
 * each has. Read once at start-up; the build replaces dist as a whole.
 */
export function precompressedFiles(dist: string): Map<string, { br: boolean; gzip: boolean }> {
  const out = new Map<string, { br: boolean; gzip: boolean }>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const files = new Set(walk(dist));
  for (const file of files) {
    if (file.endsWith('.br') || file.endsWith('.gz')) continue;
    const br = files.has(`${file}.br`);
    const gzip = files.has(`${file}.gz`);
    if (br || gzip) out.set(`/${relative(dist, file).split(sep).join('/')}`, { br, gzip });
  }
  return out;
}

/**
 * br when the client takes it at least as gladly as gzip (browsers list gzip first at equal weight), else gzip,
 * else none; `*` stands for any encoding the header does not name.
 */
export function preferredEncoding(header: string | undefined, variants: { br: boolean; gzip: boolean }): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((w) => w !== undefined);
    if (name) q.set(name, weight === undefined ? 1 : Number(weight) || 0);
  }
  const weight = (name: string): number => q.get(name) ?? q.get('*') ?? 0;
  if (variants.br && weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (variants.gzip && weight('gzip') > 0) return 'gzip';
  if (variants.br && weight('br') > 0) return 'br';
  return undefined;
}

/**
 * Serves the built single-page app (apps/web/dist) at `/`: hashed assets cached for a year, and index.html for
 * every other GET that is neither the API nor the OpenAPI docs, so /measures/… and /officer reload correctly.
 */
export function serveWebApp(app: INestApplication, dist: string = webDistDir()): void {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    new Logger('WebApp').warn(`${index} is missing: run \`npm run build:web\` to serve the web app at /`);
    return;
  }
  const files = express.static(dist, {
    index: false,
    redirect: false,
    setHeaders(res, path) {
      res.setHeader('Cache-Control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      // The page asked for by its file name (/index.html) gets the page's policy, not the API's.
      if (/\.html?$/i.test(path)) res.setHeader('Content-Security-Policy', WEB_CSP);
    },
  });
  const encoded = precompressedFiles(dist);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(req.path)) return next();
    const variants = encoded.get(req.path);
    if (variants) {
      // The file compressed at build time, as the client accepts it; the compression middleware leaves an encoded body alone.
      res.setHeader('Vary', 'Accept-Encoding');
      const encoding = preferredEncoding(req.headers['accept-encoding'], variants);
      if (encoding === 'br' || encoding === 'gzip') {
        res.setHeader('Content-Encoding', encoding);
        res.type(extname(req.path));
        req.url = `${req.path}.${encoding === 'br' ? 'br' : 'gz'}`;
      }
    }
    files(req, res, () => {
      // A missing file (an old asset, /favicon.ico…) is a 404, not the page.
      if (/\.[A-Za-z0-9]{1,8}$/.test(req.path)) return next();
      res.setHeader('Content-Security-Policy', WEB_CSP);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  });
}
