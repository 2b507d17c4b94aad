import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { EvaluationRepository } from '@matcher/persistence';
import type { EvaluationRecord } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import { Protected } from '../auth/auth.decorators';
import { iso } from '../common/iso';
import { invalidRequest } from '../common/problem';

@ApiTags('officers')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Protected()
@Controller('evaluations')
export class EvaluationsController {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly audit: AuditService,
  ) {}

  @ApiOkResponse({
    schema: {
      example: {
        id: 'd9b2282e-5666-43bb-9b29-0b7d2a30bd82',
        createdAt: '2026-11-21T18:16:08.396Z',
        kind: 'match',
        rulesetVersion: '942d4b93c51ea6ed',
        request: { profile: { location: { district: 'jingan' } }, asOf: '2025-06-01' },
        summary: { asOf: '2025-06-01', districts: ['jingan'], matches: ['jingan-2024-cost-reduction'], nearMisses: 31, questions: ['plans'] },
      },
    },
  })
  @Get(':id')
  @ApiOperation({ summary: 'One recorded evaluation: the request, a summary of the result, the ruleset version and time' })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid API key' })
  @ApiNotFoundResponse({ description: 'No such evaluation' })
  async get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ path: 'id', message: 'must be a UUID' }]) })) id: string,
  ): Promise<EvaluationRecord> {
    const row = this.audit.pending(id) ?? (await this.evaluations.find(id));
    if (!row) throw new NotFoundException(`No evaluation with id ${id}`);
    return { ...row, createdAt: iso(row.createdAt) };
  }
}
