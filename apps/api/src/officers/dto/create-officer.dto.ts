import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { OfficerRole } from '@matcher/persistence';
import { Optional } from '../../common/optional';
import type { CreateOfficerRequest } from '@matcher/contracts';

export class CreateOfficerDto implements CreateOfficerRequest {
  @ApiProperty({ type: String, example: '王芳 (静安区投资办)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: '$property must not be blank' })
  name!: string;

  @ApiPropertyOptional({ enum: ['officer', 'admin'], default: 'officer' })
  @Optional()
  @IsIn(['officer', 'admin'])
  role: OfficerRole = 'officer';
}
