import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';

const parse = cookieParser();

/**
 * The request's cookies, parsed on first use. Only the web session reads a cookie, so public routes (/match,
 * /measures…) never pay for parsing the Cookie header a signed-in browser sends with every request.
 */
export function cookiesOf(req: Request): Record<string, unknown> {
  // cookie-parser's middleware is synchronous and reads only the request.
  if (req.cookies === undefined) parse(req, undefined as unknown as Response, () => undefined);
  return (req.cookies as Record<string, unknown> | undefined) ?? {};
}
