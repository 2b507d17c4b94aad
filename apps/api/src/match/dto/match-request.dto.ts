import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject } from 'class-validator';
import type { Lang } from '@matcher/catalog';
import { AnswerOptionsDto } from '../../common/evaluation-options.dto';
import { Optional } from '../../common/optional';

export class MatchRequestDto extends AnswerOptionsDto {
  @ApiProperty({
    description: 'Company profile v1 (+ the documented optional extension fields); only location.district is required.',
    allOf: [{ $ref: '#/components/schemas/CompanyProfile' }],
  })
  @IsObject()
  profile!: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ['zh', 'en'],
    default: 'zh',
    description: 'Language of the `text` field added to explanations, near misses and questions (both languages are always present).',
  })
  @Optional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
