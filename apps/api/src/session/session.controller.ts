import { Body, Controller, Delete, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AuthGuard, SESSION_COOKIE } from '../auth/auth.guard';
import { cookiesOf } from '../auth/cookies';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { SessionRepository } from '@matcher/persistence';
import { SignInDto } from './dto/sign-in.dto';
import { SignInThrottle } from './sign-in-throttle';
import { retryAfterOf } from '../auth/failure-throttle';

/** A session lasts this long; signing out, or revoking the key it was opened with, ends it sooner. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

/**
 * The web app's sign-in: the key is checked and a server-side session opened; the cookie (HttpOnly,
 * SameSite=Strict, Secure over HTTPS, scoped to the API) holds the session's random token, never the key.
 * Failed sign-ins are throttled per client and per key prefix.
 */
@Public()
@ApiTags('officers')
@Controller('session')
export class SessionController {
  constructor(
    private readonly auth: AuthGuard,
    private readonly throttle: SignInThrottle,
    private readonly sessions: SessionRepository,
  ) {}

  @ApiOkResponse({ description: 'Signed in; the session cookie is set', schema: { example: { id: '0d7f…', name: '王芳', role: 'officer', keyId: '5a1c…' } } })
  @ApiBody({ type: SignInDto, examples: { key: { value: { apiKey: 'pm_T4aEOefddv8-zfaxDJrpS0gJtiPXu6-DwSdq2iy1NDs' } } } })
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with an officer API key (sets the session cookie)' })
  @ApiUnauthorizedResponse({ description: 'Unknown or revoked key' })
  async signIn(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthenticatedOfficer> {
    const client = req.ip ?? 'unknown';
    try {
      this.throttle.check(client, body.apiKey);
    } catch (err) {
      res.setHeader('Retry-After', String(retryAfterOf(err) ?? 60));
      throw err;
    }
    let officer: AuthenticatedOfficer;
    try {
      officer = await this.auth.authenticate(body.apiKey);
    } catch (err) {
      this.throttle.failed(client, body.apiKey);
      throw err;
    }
    const { token } = await this.sessions.open(officer.keyId, SESSION_TTL_MS);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/api', maxAge: SESSION_TTL_MS });
    return officer;
  }

  @ApiNoContentResponse({ description: 'Signed out; the session is revoked and its cookie cleared' })
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out (revokes the session, clears the cookie)' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = cookiesOf(req)[SESSION_COOKIE];
    if (typeof token === 'string' && token.length <= 200) await this.sessions.revoke(token);
    res.clearCookie(SESSION_COOKIE, { path: '/api', httpOnly: true, sameSite: 'strict', secure: req.secure });
  }
}
