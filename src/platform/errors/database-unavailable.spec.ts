import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable, markDatabaseConnectionError } from './database-unavailable';

/** An error shaped like node-postgres' DatabaseError (pg-protocol): a message and a SQLSTATE. */
const pgError = (code: string, message = 'server said no') => Object.assign(new Error(message), { code, severity: 'FATAL' });
/** A Node socket error as net.connect raises it. */
const socketError = (code: string, syscall = 'connect') =>
  Object.assign(new Error(`${syscall} ${code} 127.0.0.1:5432`), { code, errno: -111, syscall, address: '127.0.0.1', port: 5432 });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it.each(['08000', '08003', '08006', '08001', '08004', '08007', '08P01', '57P01', '57P02', '57P03', '53300'])(
    'SQLSTATE %s (connection exception, shutdown, cannot connect now)',
    (code) => {
      expect(isDatabaseUnavailable(pgError(code))).toBe(true);
      expect(isDatabaseUnavailable(queryFailed(pgError(code)))).toBe(true);
    },
  );

  it.each(['23505', '23503', '22P02', '42P01', '40001', '40P01', '57014', '25P02', 'XX000', '0800', '080001'])(
    'is false for SQLSTATE %s (the statement, not the server)',
    (code) => {
      expect(isDatabaseUnavailable(pgError(code))).toBe(false);
      expect(isDatabaseUnavailable(queryFailed(pgError(code)))).toBe(false);
    },
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])(
    'socket error %s: from the pool or under a query, yes; from elsewhere, no',
    (code) => {
      expect(isDatabaseUnavailable(markDatabaseConnectionError(socketError(code)))).toBe(true);
      expect(isDatabaseUnavailable(queryFailed(socketError(code, 'read')))).toBe(true);
      // e.g. the S3 artifact store refusing connections: not the database
      expect(isDatabaseUnavailable(socketError(code))).toBe(false);
    },
  );

  it('reads the happy-eyeballs AggregateError of a connect to a name with several addresses', () => {
    const aggregate = Object.assign(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(markDatabaseConnectionError(aggregate))).toBe(true);
    const inner = new AggregateError([socketError('ECONNREFUSED')], 'no code on the aggregate');
    expect(isDatabaseUnavailable(markDatabaseConnectionError(inner))).toBe(true);
    const unmarked = Object.assign(new AggregateError([socketError('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(unmarked)).toBe(false);
  });

  it('knows the driver messages that come without a code', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(isDatabaseUnavailable(queryFailed(new Error('Client has encountered a connection error and is not queryable')))).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('follows cause chains and ignores cycles', () => {
    const wrapped = new Error('could not append to the ledger', { cause: queryFailed(pgError('57P01')) });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });

  it('is false for everything else', () => {
    for (const value of [
      undefined,
      null,
      'ECONNREFUSED',
      42,
      {},
      new Error('boom'),
      new TypeError('x is undefined'),
      new Error('Connection terminated'),
      { code: 57 },
    ])
      expect(isDatabaseUnavailable(value)).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' }))).toBe(false);
  });
});
