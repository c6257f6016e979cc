import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** ISO 3166-1 alpha-2, or a region code such as EU. */
const JURISDICTION = /^[A-Z]{2}$/;

export class CreateModelDto {
  @ApiProperty({ example: 'credit-scoring', description: 'Unique; letters, digits, dot, dash, underscore (as in MLflow).' })
  @IsString()
  @Matches(MODEL_NAME, { message: 'name must be 1–100 letters, digits, dots, dashes or underscores, starting with a letter or digit' })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ example: 'Pre-screen consumer loan applications; a credit officer decides.' })
  @IsString()
  @Length(1, 5000)
  intendedUse!: string;

  @ApiPropertyOptional({ type: [String], example: ['Automated final credit decisions without human review'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  prohibitedUses?: string[];

  @ApiProperty({ example: 'high', description: 'EU AI Act tiers (minimal, limited, high, unacceptable) or a custom tier of the organisation.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,99}$/, { message: 'riskTier must be a lower-case identifier such as high, limited or minimal' })
  riskTier!: string;

  @ApiPropertyOptional({ type: [String], example: ['DE', 'CN'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @Matches(JURISDICTION, { each: true, message: 'jurisdictions must be ISO 3166-1 alpha-2 codes (or EU)' })
  jurisdictions?: string[];
}

export class UpdateModelDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 5000) intendedUse?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  prohibitedUses?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,99}$/, { message: 'riskTier must be a lower-case identifier such as high, limited or minimal' })
  riskTier?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @Matches(JURISDICTION, { each: true, message: 'jurisdictions must be ISO 3166-1 alpha-2 codes (or EU)' })
  jurisdictions?: string[];
}

export class CreateModelVersionDto {
  @ApiProperty({ format: 'uuid', description: 'A succeeded training run of yours.' })
  @IsUUID()
  runId!: string;
}
