import { once } from 'node:events';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import compression from 'compression';
import express from 'express';
import request from 'supertest';
import { precompressedFiles, preferredEncoding, serveWebApp } from './web-app';

describe('the web app’s assets compressed at build time', () => {
  const script = `export const words = ${JSON.stringify('政策匹配 '.repeat(400))};\n`;
  let dist: string;
  let server: express.Express;

  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>政策匹配</title>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), script);
    writeFileSync(join(dist, 'assets', 'index-abc.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets', 'index-abc.js.gz'), gzipSync(script));
    writeFileSync(join(dist, 'assets', 'only-gzip.css'), 'body{}'.repeat(300));
    writeFileSync(join(dist, 'assets', 'only-gzip.css.gz'), gzipSync('body{}'.repeat(300)));
    server = express();
    // As in the service: the compression middleware runs first and must leave an encoded file alone.
    server.use(compression({ threshold: 0 }));
    serveWebApp({ use: (fn: express.RequestHandler) => server.use(fn) } as unknown as INestApplication, dist);
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  /** The bytes on the wire: supertest would decode them. */
  async function wire(path: string, acceptEncoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const listening = server.listen(0, '127.0.0.1');
    await once(listening, 'listening');
    const { port } = listening.address() as AddressInfo;
    try {
      return await new Promise((resolve, reject) => {
        const req = httpGet({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
      });
    } finally {
      listening.close();
    }
  }

  it('finds each file’s encodings', () => {
    expect(Object.fromEntries(precompressedFiles(dist))).toEqual({
      '/assets/index-abc.js': { br: true, gzip: true },
      '/assets/only-gzip.css': { br: false, gzip: true },
    });
  });

  it('sends the .br file to a client that accepts br, with the asset’s type and caching', async () => {
    const res = await wire('/assets/index-abc.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(res.body).toString('utf8')).toBe(script);
  });

  it('sends the .gz file to a gzip-only client, and the file itself to one that accepts neither', async () => {
    const gz = await wire('/assets/index-abc.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(script);
    const plain = await wire('/assets/index-abc.js', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
  });

  it('falls back to gzip where the build wrote no .br', async () => {
    const res = await wire('/assets/only-gzip.css', 'br, gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(gunzipSync(res.body).toString('utf8')).toBe('body{}'.repeat(300));
  });

  it('still answers a page route with index.html and a missing asset with 404', async () => {
    const page = await request(server).get('/measures/x').expect(200);
    expect(page.text).toContain('政策匹配');
    await request(server).get('/assets/gone.js').expect(404);
  });

  it('weighs Accept-Encoding: br at equal weight, never an encoding refused with q=0', () => {
    const both = { br: true, gzip: true };
    expect(preferredEncoding('gzip, deflate, br, zstd', both)).toBe('br');
    expect(preferredEncoding('br;q=0.5, gzip', both)).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0', both)).toBeUndefined();
    expect(preferredEncoding('*', both)).toBe('br');
    expect(preferredEncoding('identity', both)).toBeUndefined();
    expect(preferredEncoding(undefined, both)).toBeUndefined();
    expect(preferredEncoding('br', { br: false, gzip: true })).toBeUndefined();
  });
});
