import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { AssayException } from '../errors/assay.exception';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page’s nextCursor.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const encodeCursor = (createdAt: Date, id: string) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      if (!Number.isNaN(Date.parse(value[0] as string))) return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw new AssayException('VALIDATION_FAILED', 'cursor is not one this API issued', { field: 'cursor' });
}

/**
 * Keyset pagination over (created_at, id): stable under concurrent inserts, O(limit) per page.
 * created_at columns default to millisecond precision so that a JS Date cursor is exact.
 */
export async function paginate<T extends ObjectLiteral & { createdAt: Date; id: string }>(
  query: SelectQueryBuilder<T>,
  page: PageQueryDto,
): Promise<Page<T>> {
  const alias = query.alias;
  const limit = page.limit ?? DEFAULT_PAGE_LIMIT;
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor);
    query.andWhere(
      new Brackets((q) =>
        q
          .where(`${alias}.createdAt > :cursorAt`, { cursorAt: createdAt })
          .orWhere(`(${alias}.createdAt = :cursorAt AND ${alias}.id > :cursorId)`, { cursorId: id }),
      ),
    );
  }
  const rows = await query.orderBy(`${alias}.createdAt`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').take(limit + 1).getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
