/**
 * Small constructors for items and blocks, so the point builders read as a list of statements:
 * a fact whose value is missing is left out (and, where Annex IV asks for it, stated as a part
 * gap instead), and an item whose evidence is missing altogether is a gap with its reason.
 */
import type { AnnexIvBlock, AnnexIvCell, AnnexIvFact, AnnexIvItem, AnnexIvPartGap, AnnexIvSource } from './annex-iv-document';
import { uniqueSources } from './dossier-evidence';

export function filledItem(id: string, reference: string, title: string, blocks: Array<AnnexIvBlock | null>, sources: AnnexIvSource[]): AnnexIvItem {
  const kept = blocks.filter((block): block is AnnexIvBlock => block !== null);
  return { id, reference, title, content: { status: 'filled', blocks: kept }, sources: uniqueSources(sources) };
}

export function gapItem(id: string, reference: string, title: string, reason: string): AnnexIvItem {
  return { id, reference, title, content: { status: 'gap', reason }, sources: [] };
}

export function paragraph(text: string): AnnexIvBlock {
  return { type: 'paragraph', text };
}

/** A fact row, or null when there is no value (so the row is left out). */
export function fact(label: string, value: AnnexIvCell | null | undefined): AnnexIvFact | null {
  return value === null || value === undefined || value === '' ? null : { label, value };
}

/** A two-column table of facts; null when no row has a value. */
export function facts(rows: Array<AnnexIvFact | null>): AnnexIvBlock | null {
  const kept = rows.filter((row): row is AnnexIvFact => row !== null);
  return kept.length === 0 ? null : { type: 'facts', rows: kept };
}

/** A table; null when it has no rows. */
export function table(caption: string, columns: string[], rows: AnnexIvCell[][]): AnnexIvBlock | null {
  return rows.length === 0 ? null : { type: 'table', caption, columns, rows };
}

/** A list; null when empty. */
export function bullets(caption: string, items: readonly string[]): AnnexIvBlock | null {
  return items.length === 0 ? null : { type: 'list', caption, items: [...items] };
}

export function partGap(part: string, reason: string): AnnexIvPartGap {
  return { type: 'gap', part, reason };
}

/** A part gap only when `missing` holds. */
export function partGapIf(missing: boolean, part: string, reason: string): AnnexIvPartGap | null {
  return missing ? partGap(part, reason) : null;
}
