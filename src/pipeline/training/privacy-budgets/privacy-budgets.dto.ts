import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { RdpConversion } from '../differential-privacy';

const CONVERSIONS: RdpConversion[] = ['classic', 'balle2020'];

export class PrivacyBudgetDto {
  @ApiProperty({ description: 'ε of the budget (> 0).', minimum: 0, maximum: 1000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1e-6)
  @Max(1000)
  epsilon!: number;

  @ApiProperty({ description: 'δ of the budget, 0 < δ < 1 (commonly below 1 / rows).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1e-300)
  @Max(0.5)
  delta!: number;

  @ApiPropertyOptional({ enum: CONVERSIONS, description: 'RDP → (ε, δ) conversion the budget is judged with; default balle2020.' })
  @IsOptional()
  @IsIn(CONVERSIONS)
  conversion?: RdpConversion;
}

export class EpsilonQuestionDto {
  @ApiPropertyOptional({ description: 'Poisson sampling rate q (or give rows and expectedBatchSize).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  sampleRate?: number;

  @ApiPropertyOptional({ description: 'Training rows N (q = B / N).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1e12)
  rows?: number;

  @ApiPropertyOptional({ description: 'Expected batch size B.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1e-9)
  @Max(1e12)
  expectedBatchSize?: number;

  @ApiPropertyOptional({ description: 'DP-SGD steps (or give epochs with rows).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e9)
  steps?: number;

  @ApiPropertyOptional({ description: 'Epochs; steps = epochs · ⌈rows / B⌉.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e6)
  epochs?: number;

  @ApiPropertyOptional({ description: 'σ (or give targetEpsilon to calibrate it).' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e6)
  noiseMultiplier?: number;

  @ApiPropertyOptional({ description: 'The ε to reach: the answer gives the smallest σ that spends at most it.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1e-6)
  @Max(1e6)
  targetEpsilon?: number;

  @ApiProperty({ description: 'δ, 0 < δ < 1.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1e-300)
  @Max(0.999999)
  delta!: number;

  @ApiPropertyOptional({ enum: CONVERSIONS })
  @IsOptional()
  @IsIn(CONVERSIONS)
  conversion?: RdpConversion;
}
