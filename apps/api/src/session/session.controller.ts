import { Body, Controller, Delete, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AuthGuard, SESSION_COOKIE } from '../auth/auth.guard';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { SignInDto } from './dto/sign-in.dto';

/**
 * The web app's sign-in: the key is checked, then kept in an HttpOnly, SameSite=Strict cookie scoped to the
 * API, so page scripts never hold it and other sites cannot send it.
 */
@Public()
@ApiTags('officers')
@Controller('session')
export class SessionController {
  constructor(private readonly auth: AuthGuard) {}

  @ApiOkResponse({ description: 'Signed in; the session cookie is set', schema: { example: { id: '0d7f…', name: '王芳', role: 'officer', keyId: '5a1c…' } } })
  @ApiBody({ type: SignInDto, examples: { key: { value: { apiKey: 'pm_T4aEOefddv8-zfaxDJrpS0gJtiPXu6-DwSdq2iy1NDs' } } } })
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with an officer API key (sets the session cookie)' })
  @ApiUnauthorizedResponse({ description: 'Unknown or revoked key' })
  async signIn(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthenticatedOfficer> {
    const officer = await this.auth.authenticate(body.apiKey);
    res.cookie(SESSION_COOKIE, body.apiKey, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/api', maxAge: 12 * 3600 * 1000 });
    return officer;
  }

  @ApiNoContentResponse({ description: 'Signed out; the session cookie is cleared' })
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out (clears the session cookie)' })
  signOut(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(SESSION_COOKIE, { path: '/api' });
  }
}
