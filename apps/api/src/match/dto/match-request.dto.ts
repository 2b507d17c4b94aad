import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsObject } from 'class-validator';
import { DISTRICTS, type District, type Lang } from '@matcher/catalog';
import { IsCalendarDate } from '../../common/is-calendar-date';
import { Optional } from '../../common/optional';

export class MatchRequestDto {
  @ApiProperty({ description: 'Company profile v1 (see the CompanyProfile schema); only location.district is required.', type: 'object', additionalProperties: true })
  @IsObject()
  profile!: Record<string, unknown>;

  @ApiPropertyOptional({ enum: DISTRICTS, isArray: true, description: "Districts to evaluate. Default: the company's own when it is one of the three, else all three. Another district is a relocation scenario." })
  @Optional()
  @IsArray()
  @ArrayMaxSize(DISTRICTS.length)
  @ArrayUnique()
  @IsIn(DISTRICTS, { each: true })
  districts?: District[];

  @ApiPropertyOptional({ type: String, example: '2025-06-01', description: 'Evaluate validity as of this date. Default: today in Asia/Shanghai.' })
  @Optional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false drops expired measures from matches and near misses.' })
  @Optional()
  @IsBoolean()
  includeExpired?: boolean;

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh', description: 'Language of the `text` field added to explanations, near misses and questions (both languages are always present).' })
  @Optional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
