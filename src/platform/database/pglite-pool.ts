import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';
import { traceStatement } from '../observability/tracing/query-spans';

type Callback = (error: Error | null, result?: unknown) => void;

/** The subset of a node-postgres result that TypeORM's PostgresQueryRunner reads. */
interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Results['fields'];
}

const toPgResult = (result: Results | undefined): PgResult => ({
  rows: result?.rows ?? [],
  rowCount: result?.affectedRows ?? result?.rows.length ?? 0,
  command: (result?.command ?? '').toUpperCase(),
  fields: result?.fields ?? [],
});

/**
 * A node-postgres-compatible pool over one PGlite instance, for TypeORM's postgres driver.
 *
 * PGlite is a single PostgreSQL session. Handing it to several TypeORM query runners at once
 * would let one request's statements run inside another's open transaction, so this pool
 * serialises connections: `connect()` waits until the previous client is released, exactly
 * like a node-postgres pool of size 1. (The community `typeorm-pglite` adapter shares the
 * session between runners, which breaks transaction isolation.)
 */
export class PGlitePool extends EventEmitter {
  private tail: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(private readonly db: PGlite) {
    super();
  }

  /** Runs one statement outside any client: waits its turn like any other connection. */
  query(sql: string, params?: unknown[] | Callback, callback?: Callback): Promise<PgResult> {
    const cb = typeof params === 'function' ? params : callback;
    const values = typeof params === 'function' ? undefined : params;
    const run = this.exclusive(() => this.execute(sql, values));
    if (cb)
      run.then(
        (r) => cb(null, r),
        (e: Error) => cb(e),
      );
    return run;
  }

  connect(callback?: (error: Error | null, client?: PGliteClient, release?: () => void) => void): Promise<PGliteClient> {
    const acquired = this.acquire();
    if (callback) {
      acquired.then(
        (client) => callback(null, client, () => client.release()),
        (error: Error) => callback(error),
      );
    }
    return acquired;
  }

  end(callback?: (error?: Error | null) => void): Promise<void> {
    this.ended = true;
    // PGlite itself is closed by its owner (DatabaseService) after TypeORM has let go.
    callback?.(null);
    return Promise.resolve();
  }

  /** Executes SQL on the session; multi-statement text without parameters goes through `exec`. Every statement passes here, so here it is traced. */
  execute(sql: string, params?: unknown[]): Promise<PgResult> {
    return traceStatement(sql, 'pglite', async () => {
      if (params && params.length > 0) return toPgResult(await this.db.query(sql, params));
      const results = await this.db.exec(sql);
      return toPgResult(results[results.length - 1]);
    });
  }

  private async acquire(): Promise<PGliteClient> {
    if (this.ended) throw new Error('PGlite pool has ended');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => released);
    await previous;
    // PGlite answers through promise callbacks only: without a macrotask boundary between
    // connections, a busy queue would starve timers and socket I/O for as long as it is non-empty.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return new PGliteClient(this, release);
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.acquire();
    try {
      return await work();
    } finally {
      client.release();
    }
  }
}

/** A leased connection: owns the PGlite session until released. */
export class PGliteClient extends EventEmitter {
  private released = false;

  constructor(
    private readonly pool: PGlitePool,
    private readonly onRelease: () => void,
  ) {
    super();
  }

  query(sql: string, params?: unknown[] | Callback, callback?: Callback): Promise<PgResult> {
    const cb = typeof params === 'function' ? params : callback;
    const values = typeof params === 'function' ? undefined : params;
    if (this.released) return Promise.reject(new Error('PGlite client used after release'));
    const run = this.pool.execute(sql, values);
    if (cb)
      run.then(
        (r) => cb(null, r),
        (e: Error) => cb(e),
      );
    return run;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }
}
