/**
 * Telling "the database cannot be reached right now" from every other failure, so that the HTTP
 * edge answers 503 DATABASE_UNAVAILABLE (retry later) instead of 500 (a bug). Pure: no driver,
 * no NestJS; it reads codes, and messages only where the driver gives no code.
 */

/** Seconds a client is asked to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Set on errors the PostgreSQL pool raised while connecting, so that bare socket errors (no SQLSTATE) are known to be the database's. */
export const DATABASE_CONNECTION_ERROR = Symbol.for('assay.databaseConnectionError');

/** Marks an error as raised by the database connection pool (see postgres-driver.ts); returns it. */
export function markDatabaseConnectionError<E>(error: E): E {
  if (error !== null && typeof error === 'object' && Object.isExtensible(error)) {
    (error as Record<symbol, unknown>)[DATABASE_CONNECTION_ERROR] = true;
  }
  return error;
}

/**
 * SQLSTATEs meaning the server or the connection is gone, not the statement wrong:
 * class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
 * connect now (starting up, shutting down, in recovery), 53300 too many connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const isUnavailableSqlState = (code: string): boolean => /^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_SQLSTATES.has(code);

/**
 * Socket and name-resolution errors. Counted only when the error came from the database (marked
 * by the pool, or wrapped by TypeORM as a query's driver error): an artifact store or another
 * service refusing connections is not the database.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a Unix-domain socket path that is not there (server down); only on marked connect errors
]);

/**
 * What node-postgres and pg-pool throw without a code when the connection is lost or none can be
 * had in time, and TypeORM's error when a query runner's connection failed under it (TypeORM
 * releases the runner on the connection's `error` event, so the next statement of that
 * transaction meets this one instead of the socket error).
 */
const DRIVER_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);
const DRIVER_ERROR_NAMES = new Set(['QueryRunnerAlreadyReleasedError']);

const MAX_DEPTH = 6;

/**
 * Whether `error` means the database is unavailable (down, restarting, unreachable, refusing
 * connections, or the pool could not hand out a connection in time). Follows TypeORM's
 * `driverError`, `cause` chains and AggregateError's `errors` (Node's happy-eyeballs connect).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return inspect(error, false, 0, new Set());
}

function inspect(error: unknown, fromDatabase: boolean, depth: number, seen: Set<object>): boolean {
  if (error === null || typeof error !== 'object' || depth > MAX_DEPTH || seen.has(error)) return false;
  seen.add(error);
  const node = error as { code?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown } & Record<
    symbol,
    unknown
  >;
  const fromDb = fromDatabase || node[DATABASE_CONNECTION_ERROR] === true || node.driverError !== undefined;
  const code = typeof node.code === 'string' ? node.code : undefined;
  if (code !== undefined && code.length === 5 && isUnavailableSqlState(code)) return true;
  if (code !== undefined && fromDb && NETWORK_CODES.has(code)) return true;
  if (typeof node.message === 'string' && DRIVER_MESSAGES.has(node.message)) return true;
  if (typeof node.name === 'string' && DRIVER_ERROR_NAMES.has(node.name)) return true;
  const next: unknown[] = [node.driverError, node.cause, ...(Array.isArray(node.errors) ? (node.errors as unknown[]) : [])];
  return next.some((inner) => inspect(inner, fromDb, depth + 1, seen));
}
