import { csvRecords } from './csv-cell';
import type { LedgerEntryView } from './ledger-entry.record';
import { canonicalJson, type ParsedCheckpoint } from './verification';

export const LEDGER_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type LedgerExportFormat = (typeof LEDGER_EXPORT_FORMATS)[number];

/** One exported entry: as GET /ledger/entries serves it, with its inclusion proof against the export's checkpoint. */
export interface ProvenEntry extends LedgerEntryView {
  inclusionProof: Buffer[];
}

/** How one format writes the export: a head (before any entry), then one chunk per batch of entries. */
export interface LedgerExportWriter {
  contentType: string;
  extension: string;
  head(checkpoint: ParsedCheckpoint, note: string): string;
  entries(items: readonly ProvenEntry[], checkpoint: ParsedCheckpoint): string;
}

const hex = (hash: Uint8Array): string => Buffer.from(hash).toString('hex');

/**
 * JSON Lines: a checkpoint line, then one line per entry. Re-canonicalising `entry` (RFC 8785)
 * gives `leafHash`, and `inclusionProof` proves it against the checkpoint's root (RFC 9162 §2.1.3.2).
 */
const jsonLines: LedgerExportWriter = {
  contentType: 'application/x-ndjson',
  extension: 'jsonl',
  head: (checkpoint, note) =>
    `${JSON.stringify({ type: 'checkpoint', origin: checkpoint.origin, treeSize: checkpoint.size, rootHash: hex(checkpoint.rootHash), note })}\n`,
  entries: (items) =>
    items
      .map((item) => `${JSON.stringify({ type: 'entry', entry: item.entry, leafHash: item.leafHash, inclusionProof: item.inclusionProof.map(hex) })}\n`)
      .join(''),
};

const LEDGER_CSV_COLUMNS = [
  'index',
  'time',
  'actor_type',
  'actor_id',
  'action',
  'subject_type',
  'subject_id',
  'evidence_digest',
  'data',
  'leaf_hash',
  'inclusion_proof',
  'tree_size',
  'root_hash',
] as const;

/**
 * CSV for spreadsheets, safe against formula injection (every cell goes through escapeCsvFormula).
 * `data` is its canonical JSON, `inclusion_proof` hex hashes separated by spaces; the signed
 * checkpoint travels in the Assay-Checkpoint header.
 */
const csv: LedgerExportWriter = {
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  head: () => csvRecords([[...LEDGER_CSV_COLUMNS]]),
  entries: (items, checkpoint) => {
    const treeSize = String(checkpoint.size);
    const rootHash = hex(checkpoint.rootHash);
    return csvRecords(
      items.map(({ entry, leafHash, inclusionProof }) => [
        String(entry.index),
        entry.time,
        entry.actor.type,
        entry.actor.id,
        entry.action,
        entry.subject.type,
        entry.subject.id,
        entry.evidenceDigest ?? '',
        canonicalJson(entry.data),
        leafHash,
        inclusionProof.map(hex).join(' '),
        treeSize,
        rootHash,
      ]),
    );
  },
};

export const LEDGER_EXPORT_WRITERS: Readonly<Record<LedgerExportFormat, LedgerExportWriter>> = { jsonl: jsonLines, csv };
