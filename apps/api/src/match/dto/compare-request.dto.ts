import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject } from 'class-validator';
import type { Lang } from '@matcher/catalog';
import { IsCalendarDate } from '../../common/is-calendar-date';
import { Optional } from '../../common/optional';

export class CompareRequestDto {
  @ApiProperty({ description: 'Company profile v1.', type: 'object', additionalProperties: true })
  @IsObject()
  profile!: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, example: '2025-06-01' })
  @Optional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @Optional()
  @IsBoolean()
  includeExpired?: boolean;

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh' })
  @Optional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
