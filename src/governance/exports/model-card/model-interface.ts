/**
 * What goes into the model and what comes out, from the run's spec and the records of its data:
 * the input features (the preprocessing spec's `features`, else every column of the training split
 * but the label, the spec's documented default) with their profiled types, the label, the classes
 * the evaluation saw and the task. Also the architecture line from the training record. Each part
 * is null when its evidence is missing.
 */
import type { ModelDossier } from '../dossier/model-dossier';
import { evaluationRecord, latestRecord, objectField, stringField, stringList, trainingRecord } from './dossier-records';

export interface ModelFeature {
  name: string;
  /** As profiled at ingest (`numeric`, `categorical`, …); null when the column is not in the record. */
  type: string | null;
}

export interface ModelInterface {
  /** Input columns in model order; null when neither the spec nor the training split's columns are recorded. */
  features: ModelFeature[] | null;
  /** The column the model predicts. */
  label: string | null;
  /** Class names as the evaluation recorded them. */
  classes: string[] | null;
  positiveLabel: string | null;
  task: 'binary' | 'multiclass' | null;
}

function recordedColumns(dossier: ModelDossier, versionId: string | undefined): ModelFeature[] | null {
  if (versionId === undefined) return null;
  const record = latestRecord(dossier, 'dataset_version.registered', (r) => r.subject.id === versionId);
  if (!record || !Array.isArray(record.body.columns)) return null;
  const columns = (record.body.columns as unknown[]).map(objectField);
  if (columns.some((column) => column === null || typeof column.name !== 'string')) return null;
  return (columns as Record<string, unknown>[]).map((column) => ({ name: column.name as string, type: stringField(column.type) }));
}

export function modelInterface(dossier: ModelDossier): ModelInterface {
  const { document } = dossier;
  const spec = objectField(trainingRecord(dossier)?.body.spec);
  const preprocessing = objectField(spec?.preprocessing);
  const label = stringField(preprocessing?.label);
  const trainingVersionId = document.training?.trainingDatasetVersionId ?? document.datasets.find((d) => d.role === 'training')?.versionId;
  const columns = recordedColumns(dossier, trainingVersionId);
  const declared = stringList(preprocessing?.features);
  let features: ModelFeature[] | null = null;
  if (declared !== null) features = declared.map((name) => ({ name, type: columns?.find((column) => column.name === name)?.type ?? null }));
  else if (columns !== null && label !== null) features = columns.filter((column) => column.name !== label);

  const evaluation = evaluationRecord(dossier);
  const task = stringField(objectField(evaluation?.body.evaluation)?.task);
  return {
    features,
    label,
    classes: stringList(evaluation?.body.classes),
    positiveLabel: document.evaluation?.positiveLabel ?? stringField(preprocessing?.positiveLabel),
    task: task === 'binary' || task === 'multiclass' ? task : null,
  };
}

/** `logistic_regression, TensorFlow.js 4.22.0 (wasm backend 4.22.0, deterministic)`; null without a training record. */
export function modelArchitecture(dossier: ModelDossier): string | null {
  const training = dossier.document.training;
  if (training === null) return null;
  const { backend } = training;
  return `${training.modelType}, TensorFlow.js ${backend.tfjsVersion} (${backend.name} backend ${backend.version}${backend.deterministic ? ', deterministic' : ''})`;
}

/** `One table row of 5 feature columns: age (numeric), …`; null when the features are not recorded. */
export function inputFormat(io: ModelInterface): string | null {
  if (io.features === null) return null;
  const listed = io.features.map((feature) => `${feature.name} (${feature.type ?? 'type not recorded'})`).join(', ');
  return `One table row of ${io.features.length} feature column${io.features.length === 1 ? '' : 's'}: ${listed}`;
}

/** `Binary classification of credit_risk into bad, good (positive class: good)`; null when neither label nor classes are recorded. */
export function outputFormat(io: ModelInterface): string | null {
  if (io.label === null && io.classes === null) return null;
  const kind = io.task === 'binary' ? 'Binary classification' : io.task === 'multiclass' ? 'Multiclass classification' : 'Classification';
  const of = io.label === null ? '' : ` of ${io.label}`;
  const into = io.classes === null ? '' : ` into ${io.classes.join(', ')}`;
  const positive = io.positiveLabel === null ? '' : ` (positive class: ${io.positiveLabel})`;
  return `${kind}${of}${into}${positive}`;
}
