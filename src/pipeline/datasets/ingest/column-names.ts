import { IngestError } from './ingest.error';

/** A header name that had to change so that every column name is unique and non-empty. */
export interface ColumnRename {
  /** 0-based column position. */
  index: number;
  from: string;
  to: string;
}

/** `c1`…`cN`, for files without a header. */
export function defaultColumnNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `c${i + 1}`);
}

/**
 * Makes header names unique: the first `name` keeps its name, later ones become `name_2`,
 * `name_3`, … (skipping names the header already uses); an empty name becomes `c<position>`.
 * With policy `error`, any duplicate fails instead (empty names are still named).
 */
export function uniqueColumnNames(names: readonly string[], policy: 'error' | 'rename'): { columns: string[]; renames: ColumnRename[] } {
  const taken = new Set<string>();
  const later: number[] = [];
  names.forEach((name, index) => {
    if (name !== '' && !taken.has(name)) taken.add(name);
    else later.push(index);
  });
  const duplicated = [...new Set(later.map((index) => names[index]!).filter((name) => name !== ''))];
  if (policy === 'error' && duplicated.length > 0) {
    throw new IngestError('DATASET_DUPLICATE_COLUMNS', `The header repeats column names: ${duplicated.join(', ')}.`, { columns: duplicated });
  }
  const columns = [...names];
  const renames: ColumnRename[] = [];
  for (const index of later) {
    const from = names[index]!;
    const base = from === '' ? `c${index + 1}` : from;
    let to = base;
    for (let n = 2; taken.has(to); n++) to = `${base}_${n}`;
    taken.add(to);
    columns[index] = to;
    renames.push({ index, from, to });
  }
  return { columns, renames };
}
