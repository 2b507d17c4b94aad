import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(req.path)) return next();
    files(req, res, () => {
      // A missing file (an old asset, /favicon.ico…) is a 404, not the page.
      if (/\.[A-Za-z0-9]{1,8}$/.test(req.path)) return next();
      res.setHeader('Content-Security-Policy', WEB_CSP);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  });
}
