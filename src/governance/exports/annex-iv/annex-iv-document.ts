/**
 * The EU AI Act Annex IV technical documentation (Regulation (EU) 2024/1689) of one model version
 * as plain JSON: the nine points, each split into items that carry their Annex IV reference, the
 * content taken from the dossier's evidence, and the records it came from. What the evidence does
 * not show is an explicit gap (a whole item, or a part of one), never filler text; every gap is
 * also listed in `gaps` so a reader sees at once what the provider still has to supply.
 */

export const ANNEX_IV_DOCUMENT_FORMAT = 'assay.annex-iv/v1';
export const ANNEX_IV_REGULATION = 'Regulation (EU) 2024/1689 (Artificial Intelligence Act), Annex IV';

/** A number as measured, and the text both renderings show for it (formatted once, here). */
export interface AnnexIvNumber {
  value: number;
  text: string;
}

export type AnnexIvCell = string | AnnexIvNumber;

export interface AnnexIvFact {
  label: string;
  value: AnnexIvCell;
}

/** A part of an item the evidence does not cover, shown as "Gap:" in both renderings. */
export interface AnnexIvPartGap {
  type: 'gap';
  part: string;
  reason: string;
}

export type AnnexIvBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'facts'; rows: AnnexIvFact[] }
  | { type: 'table'; caption: string; columns: string[]; rows: AnnexIvCell[][] }
  | { type: 'list'; caption: string; items: string[] }
  | AnnexIvPartGap;

export interface AnnexIvGap {
  status: 'gap';
  reason: string;
}

export interface AnnexIvFilled {
  status: 'filled';
  blocks: AnnexIvBlock[];
}

export type AnnexIvContent = AnnexIvFilled | AnnexIvGap;

/** Where a statement comes from: an evidence record, the evidence document or a policy decision. */
export interface AnnexIvSource {
  /** Evidence kind (`evaluation.completed`, …), `assay.evidence/v1` or `assay.policy-decision/v1`. */
  kind: string;
  /** `sha256:<hex>`. */
  digest: string;
}

export interface AnnexIvItem {
  /** Stable anchor, e.g. `iv-2-d-datasets`. */
  id: string;
  /** e.g. `Annex IV(2)(d)`. */
  reference: string;
  title: string;
  content: AnnexIvContent;
  sources: AnnexIvSource[];
}

export type AnnexIvPointNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

export interface AnnexIvPoint {
  number: AnnexIvPointNumber;
  /** e.g. `Annex IV(5)`. */
  reference: string;
  title: string;
  items: AnnexIvItem[];
}

/** One line of the gap summary: a whole item (`part` null) or a part of one. */
export interface AnnexIvGapEntry {
  point: AnnexIvPointNumber;
  reference: string;
  itemId: string;
  itemTitle: string;
  part: string | null;
  reason: string;
}

export interface AnnexIvDocument {
  format: typeof ANNEX_IV_DOCUMENT_FORMAT;
  title: string;
  regulation: typeof ANNEX_IV_REGULATION;
  /** The dossier's `generatedAt`; nothing here reads the clock. */
  generatedAt: string;
  generator: { name: string; version: string };
  model: { id: string; name: string; version: number; versionId: string; riskTier: string };
  /** SHA-256 over the JCS of the `assay.evidence/v1` document everything here is read from. */
  evidenceDocumentDigest: string;
  evidenceAssembledAt: string;
  checkpoint: { origin: string; treeSize: number; rootHash: string } | null;
  /** What this document is and is not, in a few sentences. */
  notice: string[];
  points: AnnexIvPoint[];
  gaps: AnnexIvGapEntry[];
}
