import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { hashApiKey, OfficerRepository, SessionRepository, type OfficerRole } from '@matcher/persistence';
import { Environment } from '../config/environment';
import { ProblemException } from '../common/problem';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';
import { cookiesOf } from './cookies';
import type { AuthenticatedOfficer, RequestWithOfficer } from './authenticated-officer';
import { FailureThrottle, retryAfterOf } from './failure-throttle';

const KEY_SHAPE = /^[\x21-\x7e]{16,200}$/;

export const SESSION_COOKIE = 'matcher_session';

/** Reads a key from `Authorization: Bearer …` or `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  return undefined;
}

/** The web app's session token, from its cookie. */
export function presentedSession(req: Request): string | undefined {
  const cookie = cookiesOf(req)[SESSION_COOKIE];
  return typeof cookie === 'string' && KEY_SHAPE.test(cookie) ? cookie : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard. Routes marked @Public() pass; routes marked @Protected() need a live key: only its SHA-256
 * digest is looked up (stored keys are digests) and compared in constant time. Unmarked routes are refused,
 * so a route nobody classified cannot leak.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Failed keys sent in headers, throttled as sign-ins are: a header is as good a door for guessing. */
  private readonly keyThrottle: FailureThrottle;

  constructor(
    private readonly reflector: Reflector,
    private readonly officers: OfficerRepository,
    private readonly sessions: SessionRepository,
    private readonly env: Environment,
  ) {
    this.keyThrottle = new FailureThrottle(env.KEY_FAILURES_PER_CLIENT, env.KEY_FAILURES_PER_PREFIX, 'API key attempts');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const role = this.reflector.getAllAndOverride<OfficerRole>(REQUIRED_ROLE, targets);
    if (!role) throw new ProblemException({ type: 'about:blank#forbidden', status: HttpStatus.FORBIDDEN, detail: 'This route is not open.' });

    const req = context.switchToHttp().getRequest<Request & RequestWithOfficer>();
    const officer = await this.identify(req);
    if (role === 'admin' && officer.role !== 'admin') {
      throw new ProblemException({ type: 'about:blank#forbidden', status: HttpStatus.FORBIDDEN, detail: 'This needs an administrator.' });
    }
    req.officer = officer;
    return true;
  }

  /** The officer a request's key or web session belongs to (401 otherwise); for a route that is open to all but does more for some. */
  async identify(req: Request): Promise<AuthenticatedOfficer> {
    const key = presentedKey(req);
    const session = key === undefined ? presentedSession(req) : undefined;
    if (session !== undefined && !SAFE_METHODS.has(req.method)) this.checkOrigin(req);
    if (session !== undefined) return this.authenticateSession(session);
    if (key === undefined) return this.authenticate(key);
    const client = req.ip ?? 'unknown';
    try {
      this.keyThrottle.check(client, key);
    } catch (err) {
      req.res?.setHeader('Retry-After', String(retryAfterOf(err) ?? 60));
      throw err;
    }
    try {
      return await this.authenticate(key);
    } catch (err) {
      this.keyThrottle.failed(client, key);
      throw err;
    }
  }

  /**
   * A write authenticated by the cookie alone must come from the web app's own origin (or one CORS_ORIGINS
   * allows): the Origin header, or failing it Sec-Fetch-Site, says where the request was made. Keys sent in
   * headers need no such check — another site cannot make a browser send them.
   */
  private checkOrigin(req: Request): void {
    const origin = req.headers.origin;
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    const allowed = typeof origin === 'string' ? origin === own || this.allowedOrigins().includes(origin) : req.headers['sec-fetch-site'] === 'same-origin';
    if (!allowed)
      throw new ProblemException({
        type: 'about:blank#cross-site-request',
        status: HttpStatus.FORBIDDEN,
        detail: 'A signed-in write must come from the web app itself (Origin check); integrations send their key in a header.',
      });
  }

  private allowedOrigins(): string[] {
    return this.env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }

  /** The officer of a live session whose key is still valid; 401 otherwise. */
  async authenticateSession(token: string): Promise<AuthenticatedOfficer> {
    const keyId = await this.sessions.find(token);
    if (!keyId) throw unauthorized('The session has ended (signed out, expired or revoked): sign in again.');
    const record = await this.officers.key(keyId);
    if (!record || record.revokedAt) throw unauthorized('The key this session was opened with has been revoked: sign in again.');
    const officer = await this.officers.officer(record.officerId);
    if (!officer) throw unauthorized('The session has ended: sign in again.');
    return { id: officer.id, name: officer.name, role: officer.role, keyId: record.id };
  }

  /** The officer a key belongs to; 401 for a missing, malformed, unknown or revoked key. */
  async authenticate(key: string | undefined): Promise<AuthenticatedOfficer> {
    if (!key) throw unauthorized('An API key is required: Authorization: Bearer <key>, X-API-Key, or sign in.');
    if (!KEY_SHAPE.test(key)) throw unauthorized('The API key is malformed.');
    const digest = hashApiKey(key);
    const record = await this.officers.keyByHash(digest);
    if (!record || !timingSafeEqual(Buffer.from(record.keyHash, 'hex'), Buffer.from(digest, 'hex'))) throw unauthorized('The API key is not valid.');
    if (record.revokedAt) throw unauthorized('The API key has been revoked.');
    const officer = await this.officers.officer(record.officerId);
    if (!officer) throw unauthorized('The API key is not valid.');
    return { id: officer.id, name: officer.name, role: officer.role, keyId: record.id };
  }
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException({ type: 'about:blank#unauthorized', status: HttpStatus.UNAUTHORIZED, detail });
}
