/**
 * Reading the dossier's evidence: records by kind and subject, their JSON bodies read without
 * trusting their shape (a record body is stored JSON: a field may be absent or of another type
 * in an older version), and the citations (kind and digest) items carry.
 */
import { evidenceDocumentDigest } from '../../evidence-document/evidence-document.digest';
import { POLICY_DECISION_FORMAT } from '../../policy/policy-decision';
import type { DossierPromotion, DossierRecord, ModelDossier } from '../dossier/model-dossier';
import type { AnnexIvSource } from './annex-iv-document';

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function asBoolean(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** The value at a dotted path (`spec.model.training.seed`), or undefined. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    const record = asRecord(current);
    if (record === null || !Object.hasOwn(record, key)) return undefined;
    current = record[key];
  }
  return current;
}

export function stringsAt(value: unknown, path: string): string[] | null {
  const found = at(value, path);
  return Array.isArray(found) ? found.filter((item): item is string => typeof item === 'string') : null;
}

/** Leaves of a JSON object as `path = value` pairs, in key order, for hyper-parameter tables. */
export function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  const record = asRecord(value);
  if (record === null) return prefix === '' ? [] : [[prefix, JSON.stringify(value) ?? 'null']];
  const keys = Object.keys(record).sort();
  if (keys.length === 0) return prefix === '' ? [] : [[prefix, '{}']];
  return keys.flatMap((key) => flatten(record[key], prefix === '' ? key : `${prefix}.${key}`));
}

/** Everything the point builders read, with lookups over the records. */
export class DossierEvidence {
  readonly documentDigest: string;
  readonly documentSource: AnnexIvSource;

  constructor(readonly dossier: ModelDossier) {
    this.documentDigest = evidenceDocumentDigest(dossier.document);
    this.documentSource = { kind: dossier.document.format, digest: this.documentDigest };
  }

  get document() {
    return this.dossier.document;
  }

  /** Records of `kind` (in ledger order) whose body satisfies `where`. */
  records(kind: string, where: (body: Json, record: DossierRecord) => boolean = () => true): DossierRecord[] {
    return this.dossier.records.filter((record) => record.kind === kind && where(record.body, record));
  }

  /** The last record of `kind` satisfying `where` (a later record supersedes an earlier one). */
  latest(kind: string, where?: (body: Json, record: DossierRecord) => boolean): DossierRecord | undefined {
    return this.records(kind, where).at(-1);
  }

  bySubject(kind: string, subjectId: string): DossierRecord[] {
    return this.dossier.records.filter((record) => record.kind === kind && record.subject.id === subjectId);
  }

  /** Records about the training run of the document (or any run when the document has none). */
  runRecords(kind: string): DossierRecord[] {
    const runId = this.document.training?.runId;
    return this.records(kind, (body, record) => runId === undefined || body.runId === runId || record.subject.id === runId);
  }

  latestRunRecord(kind: string): DossierRecord | undefined {
    return this.runRecords(kind).at(-1);
  }

  /** The promotion whose decision this document reports: the latest requested. */
  latestPromotion(): DossierPromotion | undefined {
    return [...this.dossier.promotions].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id)).at(-1);
  }
}

export function cite(...records: Array<DossierRecord | undefined>): AnnexIvSource[] {
  return records.filter((record): record is DossierRecord => record !== undefined).map((record) => ({ kind: record.kind, digest: record.digest }));
}

export function citeDecision(promotion: DossierPromotion): AnnexIvSource {
  return { kind: POLICY_DECISION_FORMAT, digest: promotion.decisionDigest };
}

/** Citations without repeats, in first-seen order. */
export function uniqueSources(sources: readonly AnnexIvSource[]): AnnexIvSource[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.kind} ${source.digest}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
