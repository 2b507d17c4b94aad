import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISTRICTS, type District } from '@matcher/catalog';
import { DEFAULT_NEAR_MISS_LIMIT, MAX_NEAR_MISS_LIMIT } from '@matcher/engine';
import { IsEvaluationOption } from './evaluation-options';
import { Optional } from './optional';

/** When to evaluate validity (each option checked by readOption, as query strings and forms are), and whether expired measures are reported. */
export class ValidityOptionsDto {
  @ApiPropertyOptional({ type: String, example: '2025-06-01', description: 'Evaluate validity as of this date. Default: today in Asia/Shanghai.' })
  @Optional()
  @IsEvaluationOption('asOf')
  asOf?: string;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false drops expired measures from matches and near misses.' })
  @Optional()
  @IsEvaluationOption('includeExpired')
  includeExpired?: boolean;
}

/** The options of one evaluation: validity, and which districts. */
export class EvaluationOptionsDto extends ValidityOptionsDto {
  @ApiPropertyOptional({
    enum: DISTRICTS,
    isArray: true,
    description: "Districts to evaluate. Default: the company's own when it is one of the three, else all three. Another district is a relocation scenario.",
  })
  @Optional()
  @IsEvaluationOption('districts')
  districts?: District[];
}

/** Evaluation options of a full answer: also how many near misses to return. */
export class AnswerOptionsDto extends EvaluationOptionsDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_NEAR_MISS_LIMIT,
    default: DEFAULT_NEAR_MISS_LIMIT,
    description: 'How many near misses to return, closest first; `nearMissesTotal` counts them all.',
  })
  @Optional()
  @IsEvaluationOption('nearMissLimit')
  nearMissLimit?: number;
}
