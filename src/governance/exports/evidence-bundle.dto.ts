import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_INDEX = Number.MAX_SAFE_INTEGER;

export class BundleQueryDto {
  @ApiPropertyOptional({
    type: [Number],
    description: 'Tree sizes of checkpoints you kept (repeat, or comma-separated, at most 16): the bundle adds consistency proofs from each to its checkpoint.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : v)),
  )
  @IsArray()
  @ArrayMaxSize(16)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_INDEX, { each: true })
  consistencyFrom?: number[];
}
