import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DISTRICTS, type District } from '@matcher/catalog';
import { PageQuery } from '../../common/page.query';

export class ChangesQuery extends PageQuery {
  @ApiPropertyOptional({ type: Number, description: 'Earlier run (default: the one before `to`)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  from?: number;

  @ApiPropertyOptional({ type: Number, description: 'Later run (default: the current run)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  to?: number;

  @ApiPropertyOptional({ enum: DISTRICTS })
  @IsOptional()
  @IsIn(DISTRICTS)
  district?: District;

  /** Changes come in larger pages: most rows did not change, and those that did are short. */
  @ApiPropertyOptional({ type: Number, default: 100, minimum: 1, maximum: 500 })
  override limit: number = 100;
}
