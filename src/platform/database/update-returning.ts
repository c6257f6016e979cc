import type { EntityManager } from 'typeorm';

/**
 * The rows of an `UPDATE … RETURNING` (or `DELETE … RETURNING`). TypeORM's `query` answers those
 * on PostgreSQL with `[rows, rowCount]` rather than the rows (and PGlite's adapter with the rows):
 * this gives the rows either way.
 */
export async function updateReturning<T>(runner: Pick<EntityManager, 'query'>, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = (await runner.query(sql, parameters)) as unknown;
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
