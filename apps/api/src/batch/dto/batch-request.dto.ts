import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn } from 'class-validator';
import { DISTRICTS, type District } from '@matcher/catalog';
import { IsCalendarDate } from '../../common/is-calendar-date';
import { Optional } from '../../common/optional';

export class BatchRequestDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Company profiles v1; each is validated on its own — one bad profile never fails the batch.' })
  @IsArray()
  @ArrayMinSize(1)
  profiles!: unknown[];

  @ApiPropertyOptional({ enum: DISTRICTS, isArray: true })
  @Optional()
  @IsArray()
  @ArrayMaxSize(DISTRICTS.length)
  @ArrayUnique()
  @IsIn(DISTRICTS, { each: true })
  districts?: District[];

  @ApiPropertyOptional({ type: String, example: '2025-06-01' })
  @Optional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @Optional()
  @IsBoolean()
  includeExpired?: boolean;

  @ApiPropertyOptional({ enum: ['compact', 'full'], default: 'compact', description: 'compact: matches without summary/source quote and near misses as ids with missing facts; full: as POST /match' })
  @Optional()
  @IsIn(['compact', 'full'])
  detail?: 'compact' | 'full';
}
