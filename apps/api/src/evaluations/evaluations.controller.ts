import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { EvaluationEntity } from '@matcher/persistence';
import { AuditService } from '../audit/audit.service';
import { Protected } from '../auth/auth.decorators';
import { invalidRequest } from '../common/problem';

@ApiTags('officers')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Protected()
@Controller('evaluations')
export class EvaluationsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'One recorded evaluation: the request, a summary of the result, the ruleset version and time' })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid API key' })
  @ApiNotFoundResponse({ description: 'No such evaluation' })
  async get(@Param('id', new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ path: 'id', message: 'must be a UUID' }]) })) id: string): Promise<EvaluationEntity> {
    const row = this.audit.pending(id) ?? (await this.dataSource.getRepository(EvaluationEntity).findOneBy({ id }));
    if (!row) throw new NotFoundException(`No evaluation with id ${id}`);
    return row;
  }
}
