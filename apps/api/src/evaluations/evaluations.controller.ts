import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { EvaluationRepository } from '@matcher/persistence';
import type { EvaluationRecord } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import { Protected } from '../auth/auth.decorators';
import { CurrentOfficer, type AuthenticatedOfficer } from '../auth/authenticated-officer';
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
        request: { profile: { location: { district: 'jingan' }, sectors: ['professional-services/testing-certification'] }, asOf: '2025-06-01' },
        summary: { asOf: '2025-06-01', districts: ['jingan'], matches: ['jingan-2024-cost-reduction'], nearMisses: 31, questions: ['plans'] },
      },
    },
  })
  @Get(':id')
  @ApiOperation({
    summary: 'One recorded evaluation of your own: the matching facts and options, the answer’s ids, the ruleset version and time',
    description:
      'Served only to the officer whose key or session made the evaluation (a match or comparison sent with it, a batch, a screening, a publish). ' +
      'Evaluations of the public /match and /match/compare are readable by nobody through the API: they keep the facts that reproduce the answer, never a company name or credit code, and are deleted after AUDIT_RETENTION_DAYS. Others answer 404.',
  })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid API key' })
  @ApiNotFoundResponse({ description: 'No such evaluation' })
  async get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ path: 'id', message: 'must be a UUID' }]) })) id: string,
    @CurrentOfficer() officer: AuthenticatedOfficer,
  ): Promise<EvaluationRecord> {
    const row = this.audit.pending(id) ?? (await this.evaluations.find(id));
    // Another officer's evaluation, or a public one, is answered as if it did not exist: its existence says nothing.
    if (!row || row.officerId !== officer.id) throw new NotFoundException(`No evaluation with id ${id}`);
    return { id: row.id, createdAt: iso(row.createdAt), kind: row.kind, rulesetVersion: row.rulesetVersion, request: row.request, summary: row.summary };
  }
}
