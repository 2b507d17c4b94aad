import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional } from 'class-validator';
import type { Lang } from '@matcher/catalog';
import { IsCalendarDate } from '../../common/is-calendar-date';

export class CompareRequestDto {
  @ApiProperty({ description: 'Company profile v1.', type: 'object', additionalProperties: true })
  @IsObject()
  profile!: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, example: '2025-06-01' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @IsBoolean()
  includeExpired?: boolean;

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
