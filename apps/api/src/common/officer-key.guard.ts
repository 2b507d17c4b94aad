import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Environment } from '../config/environment';
import { ProblemException } from './problem';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Reads a key from `Authorization: Bearer …` or `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/**
 * Officer endpoints need the configured ADMIN_API_KEY. Keys are compared as SHA-256 digests in constant time,
 * so neither the key's length nor its prefix shows in the timing.
 */
@Injectable()
export class OfficerKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(env: Environment) {
    this.expected = env.ADMIN_API_KEY ? digest(env.ADMIN_API_KEY) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const key = presentedKey(context.switchToHttp().getRequest<Request>());
    if (!key) throw this.unauthorized('An API key is required: Authorization: Bearer <key> or X-API-Key.');
    if (!this.expected || !timingSafeEqual(digest(key), this.expected)) throw this.unauthorized('The API key is not valid.');
    return true;
  }

  private unauthorized(detail: string): ProblemException {
    return new ProblemException({ type: 'about:blank#unauthorized', status: HttpStatus.UNAUTHORIZED, detail });
  }
}
