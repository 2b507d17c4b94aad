import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { SignInRequest } from '@matcher/contracts';

export class SignInDto implements SignInRequest {
  @ApiProperty({ type: String, description: "The officer's API key" })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  apiKey!: string;
}
