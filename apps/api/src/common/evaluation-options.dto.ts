import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn } from 'class-validator';
import { DISTRICTS, type District } from '@matcher/catalog';
import { IsCalendarDate } from './is-calendar-date';
import { Optional } from './optional';

/** When to evaluate validity, and whether expired measures are reported. */
export class ValidityOptionsDto {
  @ApiPropertyOptional({ type: String, example: '2025-06-01', description: 'Evaluate validity as of this date. Default: today in Asia/Shanghai.' })
  @Optional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false drops expired measures from matches and near misses.' })
  @Optional()
  @IsBoolean()
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
  @IsArray()
  @ArrayMaxSize(DISTRICTS.length)
  @ArrayUnique()
  @IsIn(DISTRICTS, { each: true })
  districts?: District[];
}
