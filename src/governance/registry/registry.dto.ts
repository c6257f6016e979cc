import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
  ValidatorConstraint,
  Validate,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { isIso3166Alpha2 } from '../../pipeline/datasets/datasheet/iso-3166-country';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const RISK_TIER = /^[a-z][a-z0-9_-]{0,49}$/;
const RISK_TIER_MESSAGE = 'riskTier must be a lower-case identifier such as high, limited or minimal (at most 50 characters)';

@ValidatorConstraint({ name: 'iso3166Alpha2List' })
class Iso3166Alpha2List implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((code) => typeof code === 'string' && isIso3166Alpha2(code));
  }

  defaultMessage(): string {
    return 'jurisdictions must be assigned ISO 3166-1 alpha-2 country codes (DE, CN, …)';
  }
}

export class DeclaredMetricDto {
  @ApiProperty({ example: 'accuracy' }) @IsString() @Matches(/^[a-z][A-Za-z0-9_]{0,99}$/) metric!: string;
  @ApiPropertyOptional({ description: 'The metric must reach at least this.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  minimum?: number;
  @ApiPropertyOptional({ description: 'The metric must stay at most this.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  maximum?: number;
}

export class ProviderDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsString() @Length(1, 4000) contact!: string;
}

/** What transparency and oversight rules ask a provider to declare (EU AI Act Art. 13–15, NIST MEASURE 2.5). */
export class ModelDeclarationsDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 4000, { each: true })
  knownLimitations?: string[];

  @ApiPropertyOptional({ type: [DeclaredMetricDto], description: 'Declared levels of accuracy (Art. 15(3)).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeclaredMetricDto)
  declaredPerformance?: DeclaredMetricDto[];

  @ApiPropertyOptional({ type: ProviderDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => ProviderDto) provider?: ProviderDto;
  @ApiPropertyOptional({ type: [String], description: 'Human oversight measures (Art. 14(3)).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 4000, { each: true })
  oversightMeasures?: string[];
  @ApiPropertyOptional({ description: 'How a person stops the system (Art. 14(4)(e)).' }) @IsOptional() @IsString() @Length(1, 4000) stopProcedure?: string;
}

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
  @Length(1, 4000)
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
  @Matches(RISK_TIER, { message: RISK_TIER_MESSAGE })
  riskTier!: string;

  @ApiPropertyOptional({ type: [String], example: ['DE', 'CN'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @Validate(Iso3166Alpha2List)
  jurisdictions?: string[];

  @ApiPropertyOptional({ type: ModelDeclarationsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ModelDeclarationsDto)
  declarations?: ModelDeclarationsDto;
}

export class UpdateModelDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4000) intendedUse?: string;

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
  @Matches(RISK_TIER, { message: RISK_TIER_MESSAGE })
  riskTier?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @Validate(Iso3166Alpha2List)
  jurisdictions?: string[];

  @ApiPropertyOptional({ type: ModelDeclarationsDto, description: 'Replaces the declarations as a whole.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ModelDeclarationsDto)
  declarations?: ModelDeclarationsDto;
}

export class CreateModelVersionDto {
  @ApiProperty({ format: 'uuid', description: 'A succeeded training run of yours.' })
  @IsUUID()
  runId!: string;
}
