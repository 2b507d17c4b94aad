import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ type: String, description: "The officer's API key" })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  apiKey!: string;
}
