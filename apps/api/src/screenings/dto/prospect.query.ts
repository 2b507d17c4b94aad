import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Lang } from '@matcher/catalog';

export class ProspectQuery {
  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh', description: 'Language of the `text` fields' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
