/** PostgreSQL SQLSTATE 23505: a unique index refused the write (as the pg driver or PGlite reports it, wrapped by TypeORM or not). */
export function isUniqueViolation(error: unknown): boolean {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return code === '23505' || driverError?.code === '23505';
}
