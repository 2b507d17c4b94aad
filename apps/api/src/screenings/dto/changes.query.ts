import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DISTRICTS, type District } from '@matcher/catalog';

export class ChangesQuery {
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

  @ApiPropertyOptional({ type: Number, default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({ type: Number, default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  offset: number = 0;
}
