import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateKeyDto {
  @ApiPropertyOptional({ type: String, example: 'screening desk laptop' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label: string = 'key';
}
