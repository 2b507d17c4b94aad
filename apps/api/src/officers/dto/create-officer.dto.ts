import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { OfficerRole } from '@matcher/persistence';

export class CreateOfficerDto {
  @ApiProperty({ type: String, example: '王芳 (静安区投资办)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: ['officer', 'admin'], default: 'officer' })
  @IsOptional()
  @IsIn(['officer', 'admin'])
  role: OfficerRole = 'officer';
}
