/**
 * Reading the dossier's evidence records: only those still in force (a correction supersedes the
 * record it corrects), by kind and by what their bodies say. Bodies are plain JSON whose shape the
 * producing kind defines (`*.evidence-kinds.ts`); the accessors check what they read and give null
 * instead of guessing, so a malformed body makes a fact "not recorded", never a default value.
 */
import type { DossierRecord, ModelDossier } from '../dossier/model-dossier';

/** The dossier's records in ledger order, without the ones a later record supersedes. */
export function recordsInForce(dossier: ModelDossier): DossierRecord[] {
  const superseded = new Set(dossier.records.flatMap((record) => (record.supersedes === null ? [] : [record.supersedes])));
  return dossier.records.filter((record) => !superseded.has(record.id));
}

/** The last record in force of `kind` that `matches`, or null. */
export function latestRecord(dossier: ModelDossier, kind: string, matches: (record: DossierRecord) => boolean = () => true): DossierRecord | null {
  return (
    recordsInForce(dossier)
      .filter((record) => record.kind === kind && matches(record))
      .at(-1) ?? null
  );
}

export function stringField(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function objectField(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A list of strings, or null when `value` is not one. */
export function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
}

/** The id of the training run that produced the dossier's model version, from the document or the registry's record. */
export function modelRunId(dossier: ModelDossier): string | null {
  const { document } = dossier;
  if (document.training !== null) return document.training.runId;
  const registered = latestRecord(dossier, 'model_version.registered', (record) => record.subject.id === document.model.versionId);
  return stringField(registered?.body.runId);
}

/** The `training.completed` record of the version's run, else its `training.requested`; null when neither is present. */
export function trainingRecord(dossier: ModelDossier): DossierRecord | null {
  const runId = modelRunId(dossier);
  if (runId === null) return null;
  const ofRun = (record: DossierRecord) => record.subject.id === runId;
  return latestRecord(dossier, 'training.completed', ofRun) ?? latestRecord(dossier, 'training.requested', ofRun);
}

/** The `evaluation.completed` record that measured the version's model (same run, same model digest). */
export function evaluationRecord(dossier: ModelDossier): DossierRecord | null {
  const runId = modelRunId(dossier);
  const modelDigest = dossier.document.artifacts?.modelDigest ?? null;
  return latestRecord(
    dossier,
    'evaluation.completed',
    (record) => record.subject.id === runId && (modelDigest === null || record.body.modelDigest === modelDigest),
  );
}
