/**
 * Follows the evidence records of some kinds as they are appended, for readers that keep running
 * figures (the Prometheus collectors): each poll reads only what was appended since the previous
 * one, through the unique index on `ledger_index`, so a scrape never rescans the evidence table
 * (the first poll of a process reads the history once, in batches).
 *
 * Nothing can appear later below the watermark: a ledger append takes a transaction-scoped lock
 * until its transaction ends and the evidence row is written in that transaction, so records
 * become visible in ledger-index order (a rolled-back append's index goes to the next append,
 * above the watermark). Records are immutable, so what was read never changes.
 */
import type { DataSource } from 'typeorm';

export interface EvidenceTailQuery {
  /** Evidence kinds to follow. */
  kinds: readonly string[];
  /** Select list over `e` (evidence_records) and any joined tables, e.g. `e.body->>'stage' AS stage`; trusted SQL, never user input. */
  select: string;
  /** Optional joins, e.g. `JOIN training_runs r ON r.id = e.subject_id::uuid`. */
  join?: string;
}

export class EvidenceTail<Row extends object> {
  private watermark = -1;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly query: EvidenceTailQuery,
    /** Receives each batch of new rows, oldest first. */
    private readonly apply: (rows: Row[]) => void,
    private readonly batchSize = 5_000,
  ) {}

  /** Reads and applies what was appended since the last poll; concurrent callers share one poll. */
  poll(): Promise<void> {
    this.polling ??= this.read().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async read(): Promise<void> {
    for (;;) {
      // One statement, one snapshot: the bound `hi` and the rows below it agree.
      const rows = await this.db.query<(Row & { hi: string; ledger_index: string | null })[]>(
        `SELECT b.hi, t.* FROM (SELECT coalesce(max(index), -1) AS hi FROM ledger_entries) b
           LEFT JOIN LATERAL (
             SELECT e.ledger_index, ${this.query.select} FROM evidence_records e ${this.query.join ?? ''}
              WHERE e.ledger_index > $1 AND e.ledger_index <= b.hi AND e.kind = ANY($2::text[])
              ORDER BY e.ledger_index LIMIT $3
           ) t ON true`,
        [this.watermark, [...this.query.kinds], this.batchSize],
      );
      const found = rows.filter((row) => row.ledger_index !== null);
      if (found.length > 0) this.apply(found);
      if (found.length < this.batchSize) {
        this.watermark = Number(rows[0]?.hi ?? this.watermark);
        return;
      }
      this.watermark = Number(found.at(-1)!.ledger_index);
    }
  }
}
