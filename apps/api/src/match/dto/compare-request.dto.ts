import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { CompanyProfile, Lang } from '@matcher/catalog';
import { ValidityOptionsDto } from '../../common/evaluation-options.dto';
import { Optional } from '../../common/optional';
import { IsCompanyProfile } from '../../common/validation.pipe';
import type { CompareRequest } from '@matcher/contracts';

export class CompareRequestDto extends ValidityOptionsDto implements CompareRequest {
  @ApiProperty({
    description: 'Company profile v1 (+ the documented optional extension fields); only location.district is required.',
    allOf: [{ $ref: '#/components/schemas/CompanyProfile' }],
  })
  @IsCompanyProfile()
  profile!: CompanyProfile;

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh' })
  @Optional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
