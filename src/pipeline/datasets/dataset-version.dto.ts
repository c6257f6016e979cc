import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const splitList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;

/** How to read an upload; query parameters of POST /datasets/:id/versions. */
export class IngestQueryDto {
  @ApiPropertyOptional({ enum: ['auto', ',', ';', '\t', '|', 'whitespace'], default: 'auto' })
  @IsOptional()
  @IsIn(['auto', ',', ';', '\t', '|', 'whitespace'])
  delimiter?: 'auto' | ',' | ';' | '\t' | '|' | 'whitespace';

  @ApiPropertyOptional({ default: true, description: 'false: the first line is data; name columns with `columns`.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  header?: boolean;

  @ApiPropertyOptional({ description: 'Comma-separated column names (when header=false).' })
  @IsOptional()
  @Transform(splitList)
  @IsArray()
  @ArrayMaxSize(100_000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  columns?: string[];

  @ApiPropertyOptional({ enum: ['utf-8', 'latin1'], default: 'utf-8' })
  @IsOptional()
  @IsIn(['utf-8', 'latin1'])
  encoding?: 'utf-8' | 'latin1';

  @ApiPropertyOptional({ description: 'Comma-separated missing-value markers; default "?,NA" and empty.' })
  @IsOptional()
  @Transform(splitList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  missing?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, description: 'Leading lines to skip (e.g. a banner).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  skipLines?: number;

  @ApiPropertyOptional({ enum: ['error', 'skip'], default: 'error' })
  @IsOptional()
  @IsIn(['error', 'skip'])
  onRaggedRow?: 'error' | 'skip';

  @ApiPropertyOptional({ enum: ['rename', 'error'], default: 'rename' })
  @IsOptional()
  @IsIn(['rename', 'error'])
  duplicateColumns?: 'rename' | 'error';
}

export class VersionColumnDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['numeric', 'categorical', 'boolean', 'date'] }) type!: string;
}

export class DatasetVersionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) datasetId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['upload', 'transformation'] }) origin!: 'upload' | 'transformation';
  @ApiProperty({ type: String, nullable: true, description: 'sha256 of the uploaded bytes' }) rawDigest!: string | null;
  @ApiProperty({ description: 'sha256 of the canonical parsed table (assay.table/v1)' }) tableDigest!: string;
  @ApiProperty() byteCount!: number;
  @ApiProperty() rows!: number;
  @ApiProperty({ type: [VersionColumnDto] }) columns!: VersionColumnDto[];
  @ApiProperty({ type: 'object', additionalProperties: true }) profile!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'How it was read (or derived).' })
  ingest!: Record<string, unknown>;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'false when the same bytes, read the same way, were already a version' }) created!: boolean;
}

export class DatasetVersionListDto {
  @ApiProperty({ type: [DatasetVersionResponseDto] }) items!: DatasetVersionResponseDto[];
}
