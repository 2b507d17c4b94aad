import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';
import type { CompanyProfile, Lang } from '@matcher/catalog';
import { AnswerOptionsDto } from '../../common/evaluation-options.dto';
import { Optional } from '../../common/optional';
import { IsCompanyProfile } from '../../common/validation.pipe';
import type { MatchRequest } from '@matcher/contracts';

export class MatchRequestDto extends AnswerOptionsDto implements MatchRequest {
  @ApiProperty({
    description: 'Company profile v1 (+ the documented optional extension fields); only location.district is required.',
    allOf: [{ $ref: '#/components/schemas/CompanyProfile' }],
  })
  @IsCompanyProfile()
  profile!: CompanyProfile;

  @ApiPropertyOptional({
    enum: ['zh', 'en'],
    default: 'zh',
    description: 'Language of the `text` field added to explanations, near misses and questions (both languages are always present).',
  })
  @Optional()
  @IsIn(['zh', 'en'])
  lang?: Lang;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Administrators: evaluate against this draft instead of the live version (a simulation).' })
  @Optional()
  @IsUUID()
  draft?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'Administrators: evaluate against this published version instead of the live one.',
    example: 'e3f300a508b69b6f',
  })
  @Optional()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: '$property must be a ruleset version' })
  rulesetVersion?: string;
}
