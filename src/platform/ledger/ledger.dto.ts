import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../http/pagination';
import { LEDGER_EXPORT_FORMATS, type LedgerExportFormat } from './ledger-export.format';

const MAX_INDEX = Number.MAX_SAFE_INTEGER;

export class LedgerEntriesQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'First index to return.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  from?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

export class InclusionProofQueryDto {
  @ApiProperty({ minimum: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  index!: number;

  @ApiProperty({ minimum: 1, description: 'Size of the tree (e.g. of a signed checkpoint) to prove against.' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  treeSize!: number;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  from!: number;

  @ApiProperty({ minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INDEX)
  to!: number;
}

/** The most entries one export may span (`to - from`); larger ranges are exported in parts. */
export const MAX_EXPORT_ENTRIES = 100_000;

export class LedgerExportQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'First index to export.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  from?: number;

  @ApiPropertyOptional({
    minimum: 0,
    description: `End of the range, exclusive (default: the size of the signed checkpoint the export is proved against); at most ${MAX_EXPORT_ENTRIES} entries past \`from\`.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_INDEX)
  to?: number;

  @ApiPropertyOptional({ enum: LEDGER_EXPORT_FORMATS, default: 'jsonl' })
  @IsOptional()
  @IsIn(LEDGER_EXPORT_FORMATS)
  format?: LedgerExportFormat;
}

export class LedgerEntryDto {
  @ApiProperty({ description: 'The entry exactly as hashed: leaf hash = SHA-256(0x00 || JCS(entry)).' })
  entry!: Record<string, unknown>;

  @ApiProperty({ description: 'Hex leaf hash.' })
  leafHash!: string;
}

export class LedgerEntryPageDto {
  @ApiProperty({ type: [LedgerEntryDto] }) items!: LedgerEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `from` for the next page.' })
  nextCursor!: string | null;
}

export class InclusionProofDto {
  @ApiProperty() index!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty() leafHash!: string;
  @ApiProperty() rootHash!: string;
  @ApiProperty({ type: [String], description: 'Hex node hashes, RFC 9162 §2.1.3.1 order.' }) proof!: string[];
}

export class ConsistencyProofDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty() fromRootHash!: string;
  @ApiProperty() toRootHash!: string;
  @ApiProperty({ type: [String], description: 'Hex node hashes, RFC 9162 §2.1.4.1 order.' }) proof!: string[];
}

export class PublicKeyDto {
  @ApiProperty() keyName!: string;
  @ApiProperty({ description: '8 hex digits: first 4 bytes of SHA-256(name || 0x0A || 0x01 || key).' }) keyId!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({ description: 'Base64 raw 32-byte Ed25519 public key.' }) publicKey!: string;
  @ApiProperty({ description: 'signed-note verifier key: <name>+<keyid>+<base64(0x01||key)>.' }) verifierKey!: string;
}
