import { createInterface } from 'node:readline';
import type { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { TableWriter } from './ingest';
import type { Row, Table } from './table';

/**
 * A version's table is stored in its canonical form (assay.table/v1, see TableWriter): its
 * SHA-256 is the version's table digest and its artifact address.
 */
export async function writeTableArtifact(store: ArtifactStore, table: Table): Promise<{ digest: string; size: number }> {
  const writer = store.writer();
  try {
    const serializer = new TableWriter(table.columns);
    for (const row of table.rows) {
      const chunk = serializer.write(row);
      if (chunk) await writer.write(chunk);
    }
    await writer.write(serializer.end());
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Streams a stored table: the columns, then each row. */
export async function* readTableRows(store: ArtifactStore, digest: string): AsyncGenerator<{ columns: string[] } | { row: Row }> {
  const input = await store.open(digest);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of lines) {
      const cells = JSON.parse(line) as Row;
      if (first) {
        first = false;
        yield { columns: cells as string[] };
      } else {
        yield { row: cells };
      }
    }
  } finally {
    // readline does not close its input when a reader stops early (a preview): an S3 response would hold its connection.
    input.destroy();
  }
}

export async function readTableArtifact(store: ArtifactStore, digest: string): Promise<Table> {
  const table: Table = { columns: [], rows: [] };
  for await (const item of readTableRows(store, digest)) {
    if ('columns' in item) table.columns = item.columns;
    else table.rows.push(item.row);
  }
  return table;
}
