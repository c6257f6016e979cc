import type { LedgerEntry } from './verification';

/** A ledger entry as the API serves it: the entry, and its leaf hash for proof checking. */
export interface LedgerEntryView {
  entry: LedgerEntry;
  leafHash: string;
}

export interface LedgerEntryRow {
  index: string;
  canonical: string;
  leaf_hash: Buffer;
}

export const toEntryView = (row: LedgerEntryRow): LedgerEntryView => ({
  entry: JSON.parse(row.canonical) as LedgerEntry,
  leafHash: row.leaf_hash.toString('hex'),
});
