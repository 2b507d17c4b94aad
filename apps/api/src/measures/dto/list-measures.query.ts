import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches, MaxLength } from 'class-validator';
import { DISTRICTS, MEASURE_KINDS, SUPPORT_TYPES, type District, type MeasureKind, type SupportType } from '@matcher/catalog';
import { IsCalendarDate } from '../../common/is-calendar-date';
import { Optional } from '../../common/optional';
import { PageQuery } from '../../common/page.query';
import type { MeasureQuery } from '@matcher/contracts';

export const MEASURE_STATUSES = ['in-force', 'expired', 'not-yet-in-force', 'term-unknown'] as const;

export class ListMeasuresQuery extends PageQuery implements MeasureQuery {
  @ApiPropertyOptional({ enum: DISTRICTS })
  @Optional()
  @IsIn(DISTRICTS)
  district?: District;

  @ApiPropertyOptional({ type: String, description: 'Department id (GET /api/v1/departments)', example: 'jingan-commission-of-commerce' })
  @Optional()
  @Matches(/^[a-z0-9-]{1,100}$/, { message: '$property must be a department id' })
  department?: string;

  @ApiPropertyOptional({ type: String, description: 'Sector code; measures for it, its parent or its children', example: 'life-health/innovative-drugs' })
  @Optional()
  @Matches(/^[a-z0-9-]+(\/[a-z0-9-]+)?$/, { message: '$property must be a sector code' })
  @MaxLength(100)
  sector?: string;

  @ApiPropertyOptional({
    enum: MEASURE_KINDS,
    description: '`measure`: something to receive, use or apply for; `priority`: what the district plans to develop or attract',
  })
  @Optional()
  @IsIn(MEASURE_KINDS)
  kind?: MeasureKind;

  @ApiPropertyOptional({ enum: SUPPORT_TYPES })
  @Optional()
  @IsIn(SUPPORT_TYPES)
  supportType?: SupportType;

  @ApiPropertyOptional({ enum: MEASURE_STATUSES, description: 'Status as of `asOf`' })
  @Optional()
  @IsIn(MEASURE_STATUSES)
  status?: (typeof MEASURE_STATUSES)[number];

  @ApiPropertyOptional({ type: String, example: '2025-06-01', description: 'Date for `status` (default today in Asia/Shanghai)' })
  @Optional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ type: String, description: 'Text search over titles, summaries and quotes, zh and en', example: '人才' })
  @Optional()
  @MaxLength(200)
  q?: string;
}
