import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import type express from 'express';
import helmet from 'helmet';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { LiveRuleset } from './catalog/live-ruleset.service';
import { pinRuleset, RulesetPinInterceptor } from './catalog/ruleset-pin';
import { Environment } from './config/environment';
import { ProblemFilter } from './common/problem.filter';
import { publicRateLimit } from './common/rate-limit';
import { rejectForbiddenQueryKeys, strictJsonBody } from './common/strict-json';
import { createValidationPipe } from './common/validation.pipe';
import { buildOpenApiDocument } from './openapi';
import { serveWebApp } from './web/web-app';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Response compression: brotli quality and gzip level, and the smallest body worth compressing (bytes). */
export interface CompressionSetup {
  brotliQuality: number;
  gzipLevel: number;
  threshold: number;
}

/**
 * Chosen by `npm run bench:http` (README, performance): br quality 1 costs a third of quality 4 for 12% more bytes
 * on an answer; below one TCP segment compressing saves the client no packet.
 */
export const COMPRESSION: CompressionSetup = { brotliQuality: 1, gzipLevel: 1, threshold: 1400 };

/** How the HTTP layer is set up; the defaults are what the service runs. The bench sets them to compare candidates side by side. */
export interface HttpSetup {
  compression?: CompressionSetup;
  /** Parse the Cookie header on every request (the earlier set-up) instead of only where a session is read. */
  cookiesOnEveryRequest?: boolean;
  /** Where the request log goes (stdout by default); tests read it to prove what is never logged. */
  logStream?: pino.DestinationStream;
}

/** Everything around the routes: security headers, body limits, logs, errors, validation and OpenAPI. */
export function configureApp(app: INestApplication, setup: HttpSetup = {}): INestApplication {
  const zip = setup.compression ?? COMPRESSION;
  const env = app.get(Environment);
  const live = app.get(LiveRuleset);
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  // Hashing every body (POST answers included) for an ETag costs more than the rare 304 saves.
  http.set('etag', false);
  http.set('query parser', 'simple');
  if (env.TRUST_PROXY) http.set('trust proxy', /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY.split(',').map((p) => p.trim()));

  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
    }),
  );
  // JSON answers (and the web app's few files the build did not compress), gzip or br as the client accepts
  // (compression 1.8 negotiates br), at the cheap levels of COMPRESSION. Streamed NDJSON is left alone so each line leaves at once.
  app.use(
    compression({
      threshold: zip.threshold,
      level: zip.gzipLevel,
      brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zip.brotliQuality } },
      filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('application/x-ndjson') && compression.filter(req, res),
    }),
  );
  app.use(
    pinoHttp({
      logger: setup.logStream ? pino({ level: env.LOG_LEVEL }, setup.logStream) : pino({ level: env.LOG_LEVEL }),
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Method, URL, status and timing only: profiles are never logged at info level.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(pinRuleset(live));
  app.use(publicRateLimit(env.RATE_LIMIT_PER_MINUTE));
  // Batches carry many profiles: a larger cap for that route only, parsed before the general one.
  app.use('/api/v1/match/batch', ...strictJsonBody(env.BATCH_BODY_LIMIT));
  app.use(...strictJsonBody(env.JSON_BODY_LIMIT));
  app.use(rejectForbiddenQueryKeys);
  const origins = env.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length) app.enableCors({ origin: origins, credentials: true, exposedHeaders: ['X-Ruleset-Version', 'X-Request-Id', 'Retry-After'] });

  if (setup.cookiesOnEveryRequest) app.use(cookieParser());
  // The web app (apps/web/dist) at `/`, with a strict CSP of its own; /api and /docs are left to Nest.
  serveWebApp(app);
  app.setGlobalPrefix('api/v1');
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new RulesetPinInterceptor(live));

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
