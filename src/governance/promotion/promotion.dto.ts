import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';
import { PageQueryDto } from '../../platform/http/pagination';
import { PROMOTION_STATES, STAGES, type PromotionState, type Stage } from './promotion.record';

export class PromotionRequestDto {
  @ApiProperty({ enum: STAGES })
  @IsIn(STAGES)
  targetStage!: Stage;
}

export class DecisionDto {
  @ApiProperty({ description: 'Why: recorded with the decision and shown to the requester.' })
  @IsString()
  @Length(3, 5000)
  rationale!: string;
}

export class PromotionPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROMOTION_STATES })
  @IsOptional()
  @IsIn(PROMOTION_STATES)
  state?: PromotionState;
}

export class DemoteDto {
  @ApiProperty({ description: 'Why the alias stops (or rolls back) now.' })
  @IsString()
  @Length(3, 5000)
  reason!: string;

  @ApiPropertyOptional({ description: 'Roll back to this version (one that held the alias before); absent: the alias is removed.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  toVersion?: number;
}

export class WaiverDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() modelId!: string;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) version!: number;
  @ApiProperty() @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/) packId!: string;
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/) ruleId!: string;
  @ApiProperty() @IsString() @Length(10, 5000) justification!: string;
  @ApiProperty({ description: 'ISO 8601; at most a year ahead.' }) @IsISO8601({ strict: true }) expiresAt!: string;
}

export class RevokeWaiverDto {
  @ApiProperty() @IsString() @Length(3, 5000) reason!: string;
}

export class WaiverQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() modelId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}
