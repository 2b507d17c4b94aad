import { Public } from '../auth/auth.decorators';
import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthReport, Readiness } from '@matcher/contracts';
import { HealthService } from './health.service';

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the service answers, with the ruleset it serves, its audit queue and its database as last probed (every second)' })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        rulesetVersion: '3f2a9c1b7d4e8a60',
        measures: 304,
        database: 'up',
        audit: { queued: 0, written: 12, dropped: 0, rejected: 0, state: 'ok', lastError: null },
      },
    },
  })
  async live(): Promise<HealthReport> {
    return this.health.report();
  }

  @ApiOkResponse({ schema: { example: { status: 'ready', database: 'up' } } })
  @Get('ready')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Readiness: 200 when the database answers now, 503 otherwise (matching still works from memory)' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const database = await this.health.ready();
    if (database !== 'up') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: database === 'up' ? 'ready' : 'not-ready', database };
  }
}
