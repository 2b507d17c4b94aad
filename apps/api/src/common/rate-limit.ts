import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { PROBLEM_CONTENT_TYPE, titleFor } from './problem';

/** Officer and integration routes authenticate instead; the open ones are limited per client address. */
const PROTECTED_PREFIXES = ['/api/v1/match/batch', '/api/v1/screenings', '/api/v1/officers', '/api/v1/evaluations', '/api/v1/session'];

/** The path as the router matches it: lower case, repeated slashes collapsed, no query. */
export function routedPath(req: Request): string {
  return (req.originalUrl.split('?', 1)[0] ?? '').toLowerCase().replace(/\/{2,}/g, '/');
}

export function publicRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Routing ignores case and repeated slashes, so the limiter must too: /API/v1/match is /api/v1/match.
    skip: (req: Request) => {
      if (perMinute === 0) return true;
      const path = routedPath(req);
      return PROTECTED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)) || !path.startsWith('/api/');
    },
    handler: (req: Request, res: Response) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      res.setHeader('Retry-After', String(retryAfter));
      res
        .status(429)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          JSON.stringify({
            type: 'about:blank#rate-limited',
            title: titleFor(429),
            status: 429,
            detail: `Too many requests from this client: at most ${perMinute} per minute. Retry after ${retryAfter} s.`,
            instance: req.originalUrl.split('?')[0],
          }),
        );
    },
  });
}
