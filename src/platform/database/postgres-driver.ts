import { Logger } from '@nestjs/common';
import pg from 'pg';
import { markDatabaseConnectionError } from '../errors/database-unavailable';

/** How long a request waits for a pooled connection (or a new one to open) before 503 DATABASE_UNAVAILABLE. */
export const DATABASE_CONNECT_TIMEOUT_MS = 10_000;

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * node-postgres' pool, with the errors of `connect()` marked as the database's: a refused or reset
 * socket has no SQLSTATE, and the exception filter must tell it from, say, the artifact store's
 * (see isDatabaseUnavailable). Nothing else changes — a broken client is dropped by pg-pool and the
 * next checkout opens a new connection, so Assay recovers by itself when the server is back.
 */
class MarkingPool extends pg.Pool {
  constructor(options?: pg.PoolConfig) {
    super(options);
    const connect = pg.Pool.prototype.connect.bind(this) as (callback?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
    const marked = (callback?: ConnectCallback): Promise<pg.PoolClient> | undefined => {
      if (callback) return connect((error, client, done) => callback(error && markDatabaseConnectionError(error), client, done));
      return connect()!.catch((error: unknown) => {
        throw markDatabaseConnectionError(error);
      });
    };
    this.connect = marked as pg.Pool['connect'];
  }
}

/** The `pg` module as TypeORM loads it (types, defaults…), with the marking pool. */
export const postgresDriver: typeof pg = Object.assign(Object.create(pg) as typeof pg, { Pool: MarkingPool });

const logger = new Logger('Database');

/**
 * The pool's `error` listener: an idle client whose connection failed (server restarted, network
 * cut) is already removed by pg-pool; without a listener the event would crash the process.
 * TypeORM installs one that logs through its own logger (silent here), so Assay passes this one.
 */
export function onIdleClientError(error: unknown): void {
  const { code } = (error ?? {}) as { code?: unknown };
  logger.warn(
    `An idle PostgreSQL connection failed and was dropped from the pool (${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)})`,
  );
}
