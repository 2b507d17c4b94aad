import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray } from 'class-validator';
import { AnswerOptionsDto } from '../../common/evaluation-options.dto';
import { IsEvaluationOption } from '../../common/evaluation-options';
import { Optional } from '../../common/optional';
import type { BatchDetail, BatchRequest } from '@matcher/contracts';

export class BatchRequestDto extends AnswerOptionsDto implements BatchRequest {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Company profiles v1; each is validated on its own — one bad profile never fails the batch.',
  })
  @IsArray()
  @ArrayMinSize(1)
  profiles!: unknown[];

  @ApiPropertyOptional({
    enum: ['compact', 'full'],
    default: 'compact',
    description: 'compact: matches without summary/source quote and near misses as ids with missing facts; full: as POST /match',
  })
  @Optional()
  @IsEvaluationOption('detail')
  detail?: BatchDetail;
}
