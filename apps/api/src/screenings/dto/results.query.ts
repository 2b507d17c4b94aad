import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DISTRICTS, type District, type Lang } from '@matcher/catalog';
import { PageQuery } from '../../common/page.query';

export const RESULT_SORTS = ['row', '-matchCount', 'matchCount', 'name'] as const;
export type ResultSort = (typeof RESULT_SORTS)[number];

/** Filters and order of a screening's results (JSON, CSV and XLSX alike). */
export class ResultsFilterQuery {
  @ApiPropertyOptional({ enum: DISTRICTS, description: 'Only results evaluated in this district' })
  @IsOptional()
  @IsIn(DISTRICTS)
  district?: District;

  @ApiPropertyOptional({
    type: String,
    description: 'Department id (GET /api/v1/departments): rows matching at least one of its measures',
    example: 'jingan-commission-of-commerce',
  })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,100}$/, { message: '$property must be a department id' })
  department?: string;

  @ApiPropertyOptional({ type: String, description: 'Measure id: rows that match it' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,200}$/, { message: '$property must be a measure id' })
  measure?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only rows with a measure in force or of unstated term as of the run’s date' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean()
  applicable?: boolean;

  @ApiPropertyOptional({ enum: RESULT_SORTS, default: 'row' })
  @IsOptional()
  @IsIn(RESULT_SORTS)
  sort?: ResultSort;

  @ApiPropertyOptional({ type: Number, description: 'Run number (default: the current run)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  run?: number;
}

/** Filters and paging of GET /screenings/:id/results. */
export class ResultsQuery extends IntersectionType(ResultsFilterQuery, PageQuery) {}

export class ExportQuery extends ResultsFilterQuery {
  @ApiPropertyOptional({
    enum: ['zh', 'en'],
    default: 'zh',
    description: 'Language of the measure titles and department names (headers are always Chinese and English)',
  })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: Lang;
}
