import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE_POSTGRESQL } from '@opentelemetry/semantic-conventions';

/** What a span may say about a statement: its operation and the table it names, never its text or values. */
export interface StatementSummary {
  operation: string;
  table?: string;
}

// A table name, bare or quoted (TypeORM quotes its identifiers), not a schema prefix.
const NAME = String.raw`"?([A-Za-z_][A-Za-z0-9_]*)"?(?![A-Za-z0-9_".])`;
const TABLE_AFTER: Record<string, RegExp> = {
  // …nor a set-returning function (`FROM assay_ledger_append(…)`).
  SELECT: new RegExp(String.raw`\bFROM\s+${NAME}(?!\s*\()`, 'i'),
  INSERT: new RegExp(String.raw`^INSERT\s+INTO\s+${NAME}`, 'i'),
  UPDATE: new RegExp(String.raw`^UPDATE\s+${NAME}`, 'i'),
  DELETE: new RegExp(String.raw`^DELETE\s+FROM\s+${NAME}`, 'i'),
};

/** The leading keyword of a statement (after comments) and, for plain DML, its first table. */
export function summarizeStatement(sql: string): StatementSummary {
  const text = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  const operation = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase() ?? 'QUERY';
  const table = TABLE_AFTER[operation]?.exec(text)?.[1]?.toLowerCase();
  return table ? { operation, table } : { operation };
}

/**
 * A CLIENT span around one statement on the embedded database (PGlite), named as the database
 * semantic conventions say (`SELECT training_runs`), with the operation and table only. Like the
 * pg instrumentation on PostgreSQL (requireParentSpan), only statements of traced work get one:
 * idle pollers would otherwise open a trace per poll.
 */
export function traceStatement<T>(sql: string, engine: string, work: () => Promise<T>): Promise<T> {
  const parent = trace.getActiveSpan();
  if (!parent?.isRecording()) return work();
  const { operation, table } = summarizeStatement(sql);
  const span = trace.getTracer('assay-database').startSpan(table ? `${operation} ${table}` : operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
      [ATTR_DB_OPERATION_NAME]: operation,
      ...(table ? { [ATTR_DB_COLLECTION_NAME]: table } : {}),
      'assay.db.engine': engine,
    },
  });
  return context.with(trace.setSpan(context.active(), span), work).then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      span.setStatus({ code: SpanStatusCode.ERROR });
      if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
      span.end();
      throw error;
    },
  );
}
