import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiPayloadTooLargeResponse, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { todayInShanghai } from '@matcher/engine';
import { Protected } from '../auth/auth.decorators';
import { CurrentOfficer, type AuthenticatedOfficer } from '../auth/authenticated-officer';
import { validateDto } from '../common/validation.pipe';
import type { BatchResponse } from '@matcher/contracts';
import { BatchService } from './batch.service';
import { BatchRequestDto } from './dto/batch-request.dto';

@ApiTags('batch')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Protected()
@Controller('match/batch')
export class BatchController {
  constructor(private readonly batch: BatchService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Many profiles at once',
    description:
      'application/json: { profiles, districts?, asOf?, includeExpired? } (up to BATCH_MAX_PROFILES, default 1000) → { rulesetVersion, asOf, results: [{ index, matches, nearMisses } | { index, errors }] } in input order. ' +
      'application/x-ndjson: one profile per line in, one result per line out, streamed in order; options as query parameters (?districts=jingan,xuhui&asOf=2025-06-01&includeExpired=false&nearMissLimit=5). ' +
      'Results are compact by default (matches without summary and quote; near misses as measure id, reason, missing facts and failed conditions); detail=full gives the POST /match shapes.',
  })
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiBody({
    type: BatchRequestDto,
    examples: {
      two: {
        value: { profiles: [{ location: { district: 'jingan' }, sectors: ['finance/fintech'] }, { location: { district: 'nowhere' } }], asOf: '2025-06-01' },
      },
    },
  })
  @ApiPayloadTooLargeResponse({ description: 'More profiles than the configured limit' })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid API key' })
  async run(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentOfficer() officer: AuthenticatedOfficer,
  ): Promise<BatchResponse | undefined> {
    if (req.is('application/x-ndjson')) {
      const options = this.batch.optionsFromQuery(req.query);
      await this.batch.runStream(req, res, options, officer);
      return undefined;
    }
    const body = validateDto(BatchRequestDto, req.body);
    return this.batch.runJson(
      body.profiles,
      {
        districts: body.districts,
        asOf: body.asOf ?? todayInShanghai(),
        includeExpired: body.includeExpired,
        detail: body.detail,
        nearMissLimit: body.nearMissLimit,
      },
      officer,
    );
  }
}
