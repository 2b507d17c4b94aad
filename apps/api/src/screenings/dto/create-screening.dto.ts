import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The text fields of the multipart upload (the file itself is `file`). `mapping` is a JSON object header →
 * field; `districts` a comma list; `asOf` YYYY-MM-DD. Parsed and checked by the service.
 */
export class CreateScreeningDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, example: '2025 年二季度招商名单' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'JSON object: column header → profile field (null ignores the column)',
    example: '{"公司":"name","注册地":"district"}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  mapping?: string;

  @ApiPropertyOptional({
    type: String,
    description: "JSON object: column header → { cell value → code (null drops the value) }: the officer's fixes of values the import could not read",
    example: '{"企业性质":{"国企":"local-state"},"所在区":{"静按区":"jingan"}}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  values?: string;

  @ApiPropertyOptional({ enum: ['zh', 'en'], description: 'Language of row errors and warnings (default: Accept-Language, else Chinese)' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: 'zh' | 'en';

  @ApiPropertyOptional({
    type: String,
    description: 'Comma list of districts to evaluate every prospect in (default: its own, or all three)',
    example: 'jingan,xuhui',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  districts?: string;

  @ApiPropertyOptional({ type: String, description: 'Evaluate validity as of this date (default: today in Asia/Shanghai, per run)', example: '2025-06-01' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  asOf?: string;
}
