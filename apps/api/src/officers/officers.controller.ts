import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Protected } from '../auth/auth.decorators';
import { CurrentOfficer, type AuthenticatedOfficer } from '../auth/authenticated-officer';
import { invalidRequest } from '../common/problem';
import { CreateKeyDto } from './dto/create-key.dto';
import { CreateOfficerDto } from './dto/create-officer.dto';
import type { CreatedOfficer, IssuedKey, OfficerSummary } from '@matcher/contracts';
import { OfficersService } from './officers.service';

const uuid = (name: string): ParseUUIDPipe => new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ path: name, message: 'must be a UUID' }]) });

@ApiTags('officers')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown or revoked key' })
@Controller('officers')
export class OfficersController {
  constructor(private readonly officers: OfficersService) {}

  @ApiOkResponse({ schema: { example: { id: '0d7f…', name: '王芳', role: 'officer', keyId: '5a1c…' } } })
  @Get('me')
  @Protected()
  @ApiOperation({ summary: 'The officer the key belongs to' })
  me(@CurrentOfficer() officer: AuthenticatedOfficer): AuthenticatedOfficer {
    return officer;
  }

  @ApiOkResponse({
    schema: {
      example: [
        {
          id: '0d7f…',
          name: '王芳',
          role: 'officer',
          createdAt: '2026-11-21T18:20:00.000Z',
          keys: [{ id: '5a1c…', hint: 'pm_T4a', label: 'first key', createdAt: '2026-11-21T18:20:00.000Z', revokedAt: null }],
        },
      ],
    },
  })
  @Get()
  @Protected('admin')
  @ApiOperation({ summary: 'Officers and their keys (hints only) — admin' })
  @ApiForbiddenResponse({ description: 'Not an administrator' })
  list(): Promise<OfficerSummary[]> {
    return this.officers.list();
  }

  @Post()
  @Protected('admin')
  @ApiOperation({ summary: 'Create an officer with a first key; the key is shown once — admin' })
  @ApiCreatedResponse({ schema: { example: { officer: { id: '…', name: '王芳', role: 'officer' }, key: 'pm_…' } } })
  create(@Body() body: CreateOfficerDto): Promise<CreatedOfficer> {
    return this.officers.create(body.name, body.role);
  }

  @ApiCreatedResponse({ schema: { example: { id: '5a1c…', key: 'pm_T4aEOefddv8-zfaxDJrpS0gJtiPXu6-DwSdq2iy1NDs' } } })
  @Post(':id/keys')
  @Protected('admin')
  @ApiOperation({ summary: 'Issue another key for an officer; shown once — admin' })
  issueKey(@Param('id', uuid('id')) id: string, @Body() body: CreateKeyDto): Promise<IssuedKey> {
    return this.officers.issueKey(id, body.label);
  }

  @ApiNoContentResponse({ description: 'Revoked; the key no longer opens anything' })
  @Delete(':id/keys/:keyId')
  @Protected('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a key — admin' })
  async revoke(@Param('id', uuid('id')) id: string, @Param('keyId', uuid('keyId')) keyId: string): Promise<void> {
    await this.officers.revokeKey(id, keyId);
  }
}
