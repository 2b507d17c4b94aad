import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../common/optional';
import type { CreateKeyRequest } from '@matcher/contracts';

export class CreateKeyDto implements CreateKeyRequest {
  @ApiPropertyOptional({ type: String, example: 'screening desk laptop' })
  @Optional()
  @IsString()
  @MaxLength(200)
  label: string = 'key';
}
