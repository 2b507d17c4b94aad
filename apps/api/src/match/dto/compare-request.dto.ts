import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject } from 'class-validator';
import type { Lang } from '@matcher/catalog';
import { ValidityOptionsDto } from '../../common/evaluation-options.dto';
import { Optional } from '../../common/optional';
import type { CompareRequest } from '@matcher/contracts';

export class CompareRequestDto extends ValidityOptionsDto implements CompareRequest {
  @ApiProperty({
    description: 'Company profile v1 (+ the documented optional extension fields); only location.district is required.',
    allOf: [{ $ref: '#/components/schemas/CompanyProfile' }],
  })
  @IsObject()
  profile!: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh' })
  @Optional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
