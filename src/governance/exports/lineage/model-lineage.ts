/**
 * The lineage of a model version, read from the dossier's evidence records only: the dataset part
 * as the provenance library's `LineageGraph` (dataset versions from `dataset_version.registered`,
 * uploads, transformations from `dataset.transformed`, and every actor as an agent), and the model
 * part the dataset exporters do not know: the training run (`training.requested` /
 * `training.completed`), the model version (`model_version.registered`), its evaluation
 * (`evaluation.completed`), the promotion decisions and the alias moves. What a record does not
 * say is left out (null), never filled in.
 */
import {
  uploadActivity,
  type LineageActivity,
  type LineageAgent,
  type LineageColumn,
  type LineageGraph,
  type LineageVersion,
} from '../../../pipeline/datasets/provenance';
import type { DossierAliasMove, DossierPromotion, DossierRecord, ModelDossier } from '../dossier/model-dossier';
import { evaluationRecord, latestRecord, modelRunId, objectField, recordsInForce, stringField } from '../model-card';

export interface RecordReference {
  id: string;
  kind: string;
  digest: string;
  ledgerIndex: number;
  createdAt: string;
}

export interface SplitUse {
  versionId: string;
  /** `train`, `validation` or `test`, as the run recorded it. */
  role: string;
}

export interface TrainingRun {
  runId: string;
  startedAt: string;
  endedAt: string;
  /** Agent ids: who requested the run, and the worker that ran it; null when the record is missing. */
  requestedBy: string | null;
  executedBy: string | null;
  splits: SplitUse[];
  spec: Record<string, unknown> | null;
  specDigest: string | null;
  modelType: string | null;
  seed: number | null;
  backend: { name: string; version: string; tfjsVersion: string } | null;
  evidence: RecordReference[];
}

export interface ModelVersionFacts {
  modelId: string;
  name: string;
  versionId: string;
  version: number;
  riskTier: string;
  modelDigest: string | null;
  artifacts: Array<{ path: string; digest: string }>;
  /** From `model_version.registered`; null when the record is missing. */
  registered: { at: string; by: string; evidence: RecordReference } | null;
}

export interface Evaluation {
  /** The activity id: `evaluation:<record id>`. */
  id: string;
  testVersionId: string | null;
  /** The window of the evaluation's energy measurement; null when none is recorded. */
  startedAt: string | null;
  endedAt: string | null;
  executedBy: string;
  evidence: RecordReference;
}

/** A dataset version the run used that has no `dataset_version.registered` record in the dossier. */
export interface UnregisteredVersion {
  versionId: string;
  datasetId: string;
  name: string;
  version: number;
  tableDigest: string;
}

export interface ModelLineage {
  graph: LineageGraph;
  unregistered: UnregisteredVersion[];
  model: ModelVersionFacts;
  training: TrainingRun | null;
  evaluation: Evaluation | null;
  promotions: DossierPromotion[];
  /** Moves of an alias to or from this version. */
  aliasMoves: DossierAliasMove[];
}

const COLUMN_TYPES = new Set(['numeric', 'categorical', 'boolean', 'date']);

/** Users keep their id; the system actor (the worker) is `system/<id>`, so it cannot be mistaken for a user. */
export const agentId = (actor: DossierRecord['actor']): string => (actor.type === 'user' ? actor.id : `${actor.type}/${actor.id}`);

const reference = (record: DossierRecord): RecordReference => ({
  id: record.id,
  kind: record.kind,
  digest: record.digest,
  ledgerIndex: record.ledgerIndex,
  createdAt: record.createdAt,
});

function datasetNames(records: readonly DossierRecord[], dossier: ModelDossier): Map<string, string> {
  const names = new Map(dossier.document.datasets.map((dataset) => [dataset.datasetId, dataset.name]));
  for (const record of records) {
    const name = stringField(record.body.name);
    if (record.kind === 'dataset.registered' && name !== null) names.set(record.subject.id, name);
  }
  return names;
}

function columnsOf(value: unknown): LineageColumn[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const column = objectField(item);
    const name = stringField(column?.name);
    if (name === null) return [];
    const type = stringField(column?.type);
    return [type !== null && COLUMN_TYPES.has(type) ? { name, type: type as LineageColumn['type'] } : { name }];
  });
}

function versionOf(record: DossierRecord, names: Map<string, string>): LineageVersion | null {
  const { body } = record;
  const [id, datasetId, tableSha256] = [stringField(body.versionId), stringField(body.datasetId), stringField(body.tableDigest)];
  if (id === null || datasetId === null || tableSha256 === null || typeof body.version !== 'number' || typeof body.rows !== 'number') return null;
  const name = names.get(datasetId);
  return {
    id,
    datasetId,
    ...(name === undefined ? {} : { datasetName: name }),
    version: body.version,
    sha256: stringField(body.rawDigest),
    tableSha256,
    rows: body.rows,
    bytes: typeof body.byteCount === 'number' ? body.byteCount : null,
    columns: columnsOf(body.columns),
    createdAt: record.createdAt,
    createdBy: agentId(record.actor),
  };
}

function transformationOf(record: DossierRecord, versions: ReadonlySet<string>): LineageActivity | null {
  const { body } = record;
  const [id, input, startedAt, endedAt] = [
    stringField(body.transformationId),
    stringField(body.inputVersionId),
    stringField(body.startedAt),
    stringField(body.endedAt),
  ];
  const spec = objectField(body.spec) ?? {};
  if (id === null || startedAt === null || endedAt === null || !Array.isArray(body.outputs)) return null;
  const outputs = body.outputs.flatMap((item) => {
    const output = objectField(item);
    const versionId = stringField(output?.versionId);
    return versionId !== null && versions.has(versionId) ? [{ versionId, role: stringField(output?.role) }] : [];
  });
  if (outputs.length === 0) return null;
  return {
    id,
    type: stringField(spec.type) ?? 'transformation',
    parameters: spec,
    inputs: input !== null && versions.has(input) ? [input] : [],
    outputs,
    startedAt,
    endedAt,
    actor: agentId(record.actor),
  };
}

function splitsOf(record: DossierRecord | null): SplitUse[] {
  const splits = objectField(record?.body.inputs)?.splits;
  if (!Array.isArray(splits)) return [];
  return splits.flatMap((item) => {
    const split = objectField(item);
    const [versionId, role] = [stringField(split?.versionId), stringField(split?.role)];
    return versionId === null || role === null ? [] : [{ versionId, role }];
  });
}

/** The backend a `training.completed` record names; null unless name and versions are all recorded. */
function recordedBackend(backend: Record<string, unknown> | null): TrainingRun['backend'] {
  const [name, version, tfjsVersion] = [stringField(backend?.name), stringField(backend?.backendVersion), stringField(backend?.tfjsVersion)];
  return name === null || version === null || tfjsVersion === null ? null : { name, version, tfjsVersion };
}

function trainingRun(dossier: ModelDossier, runId: string | null): TrainingRun | null {
  if (runId === null) return null;
  const ofRun = (record: DossierRecord) => record.subject.id === runId;
  const requested = latestRecord(dossier, 'training.requested', ofRun);
  const completed = latestRecord(dossier, 'training.completed', ofRun);
  const section = dossier.document.training?.runId === runId ? dossier.document.training : null;
  if (completed === null && section === null) return null;
  const startedAt = section?.startedAt ?? requested?.createdAt ?? completed?.createdAt;
  const endedAt = section?.endedAt ?? completed?.createdAt;
  if (startedAt === undefined || endedAt === undefined) return null;
  const spec = objectField((completed ?? requested)?.body.spec);
  return {
    runId,
    startedAt,
    endedAt,
    requestedBy: requested === null ? null : agentId(requested.actor),
    executedBy: completed === null ? null : agentId(completed.actor),
    splits: splitsOf(completed ?? requested),
    spec,
    specDigest: section?.specDigest ?? stringField(completed?.body.specDigest),
    modelType: section?.modelType ?? stringField(objectField(spec?.model)?.type),
    seed: section?.seed ?? (typeof completed?.body.seed === 'number' ? completed.body.seed : null),
    backend: section?.backend ?? recordedBackend(objectField(completed?.body.backend)),
    evidence: [requested, completed].filter((record): record is DossierRecord => record !== null).map(reference),
  };
}

function modelVersion(dossier: ModelDossier): ModelVersionFacts {
  const { model, artifacts } = dossier.document;
  const record = latestRecord(dossier, 'model_version.registered', (r) => r.subject.id === model.versionId);
  return {
    modelId: model.id,
    name: model.name,
    versionId: model.versionId,
    version: model.version,
    riskTier: model.riskTier,
    modelDigest: artifacts?.modelDigest ?? stringField(record?.body.modelDigest),
    artifacts: artifacts?.files ?? [],
    registered: record === null ? null : { at: record.createdAt, by: agentId(record.actor), evidence: reference(record) },
  };
}

function evaluation(dossier: ModelDossier, runId: string | null): Evaluation | null {
  const record = evaluationRecord(dossier);
  if (record === null) return null;
  const records = recordsInForce(dossier);
  const before = records.slice(0, records.indexOf(record));
  const energy = before.filter((r) => r.kind === 'energy.measured' && r.subject.id === runId && r.body.stage === 'evaluation').at(-1);
  const measurement = objectField(energy?.body.measurement);
  const [startedAt, endedAt] = [stringField(measurement?.startedAt), stringField(measurement?.endedAt)];
  const known = startedAt !== null && endedAt !== null;
  return {
    id: `evaluation:${record.id}`,
    testVersionId: stringField(objectField(record.body.split)?.versionId) ?? dossier.document.evaluation?.datasetVersionId ?? null,
    startedAt: known ? startedAt : null,
    endedAt: known ? endedAt : null,
    executedBy: agentId(record.actor),
    evidence: reference(record),
  };
}

function agents(
  dossier: ModelDossier,
  records: readonly DossierRecord[],
  promotions: readonly DossierPromotion[],
  moves: readonly DossierAliasMove[],
): LineageAgent[] {
  const kinds = new Map<string, LineageAgent['kind']>();
  for (const record of records) kinds.set(agentId(record.actor), record.actor.type === 'user' ? 'person' : 'software');
  for (const promotion of promotions) for (const id of [promotion.requestedBy, promotion.decidedBy]) if (id !== null) kinds.set(id, 'person');
  for (const move of moves) kinds.set(move.actor, 'person');
  const requester = dossier.document.humanOversight?.requestedBy;
  return [...kinds.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, kind]) => (requester !== undefined && requester.id === id ? { id, kind, role: requester.role } : { id, kind }));
}

/** One item per id, the last one recorded winning (a record repeated in the dossier must not make two nodes). */
function lastById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

export function modelLineage(dossier: ModelDossier): ModelLineage {
  const records = recordsInForce(dossier);
  const registrations = records.filter((r) => r.kind === 'dataset_version.registered');
  const names = datasetNames(records, dossier);
  const versions = lastById(registrations.flatMap((r) => versionOf(r, names) ?? []));
  const ids = new Set(versions.map((v) => v.id));
  const registration = (version: LineageVersion) => registrations.findLast((r) => r.body.versionId === version.id);
  const uploads = versions.filter((version) => registration(version)?.body.origin === 'upload');
  const activities = lastById([
    ...uploads.map((version) => uploadActivity(version, objectField(registration(version)?.body.ingest) ?? {})),
    ...records.filter((r) => r.kind === 'dataset.transformed').flatMap((r) => transformationOf(r, ids) ?? []),
  ]);
  const { version } = dossier.document.model;
  const aliasMoves = dossier.aliasMoves.filter((move) => move.toVersion === version || move.fromVersion === version);
  const runId = modelRunId(dossier);
  const unregistered = dossier.document.datasets
    .filter((dataset) => !ids.has(dataset.versionId))
    .map((dataset) => ({
      versionId: dataset.versionId,
      datasetId: dataset.datasetId,
      name: dataset.name,
      version: dataset.version,
      tableDigest: dataset.tableDigest,
    }));
  return {
    graph: { versions, activities, agents: agents(dossier, records, dossier.promotions, aliasMoves) },
    unregistered,
    model: modelVersion(dossier),
    training: trainingRun(dossier, runId),
    evaluation: evaluation(dossier, runId),
    promotions: dossier.promotions,
    aliasMoves,
  };
}
