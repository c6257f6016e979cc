/**
 * A model version's lineage as OpenLineage 2-0-2 run events: the dataset jobs (uploads and
 * transformations) from the provenance library's `toOpenLineageEvents`, then the model's own runs
 * with the same naming and facets: the training run (START and COMPLETE; inputs the training and
 * validation splits, output the model as a dataset of type MODEL, the usual OpenLineage convention)
 * and the evaluation (inputs the test split and the model). An evaluation whose start is not
 * recorded gets its COMPLETE event only. Run ids are derived from the evidence, so exporting again
 * gives the same events; events are in time order.
 */
import {
  DEFAULT_JOB_NAMESPACE,
  DEFAULT_NAMESPACE,
  DEFAULT_OPENLINEAGE_PRODUCER,
  OPENLINEAGE_FACET_SCHEMA_URLS,
  OPENLINEAGE_RUN_EVENT_SCHEMA_URL,
  activityRunId,
  toOpenLineageEvents,
  type LineageVersion,
  type OpenLineageDataset,
  type OpenLineageFacet,
  type OpenLineageOptions,
  type OpenLineageRunEvent,
} from '../../../pipeline/datasets/provenance';
import type { ModelDossier } from '../dossier/model-dossier';
import { modelLineage, type Evaluation, type ModelLineage, type RecordReference, type TrainingRun } from './model-lineage';

/** Standard facets the dataset exporter does not use, at the versions of the reference schemas. */
export const MODEL_FACET_SCHEMA_URLS = {
  datasetType: 'https://openlineage.io/spec/facets/1-0-1/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet',
  processingEngine: 'https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet',
} as const;

export const MODEL_JOB_NAMES = { training: 'model-training', evaluation: 'model-evaluation' } as const;

interface EventContext {
  namespace: string;
  producer: string;
  jobNamespace: string;
  datasetNamespace: string;
  versions: Map<string, LineageVersion>;
  lineage: ModelLineage;
}

function context(lineage: ModelLineage, options: OpenLineageOptions | undefined): EventContext {
  // The same defaults as toOpenLineageEvents, which has checked the options by the time this runs.
  const namespace = options?.namespace ?? DEFAULT_NAMESPACE;
  return {
    namespace,
    producer: options?.producer ?? DEFAULT_OPENLINEAGE_PRODUCER,
    jobNamespace: options?.jobNamespace ?? DEFAULT_JOB_NAMESPACE,
    datasetNamespace: options?.datasetNamespace ?? new URL(namespace).origin,
    versions: new Map(lineage.graph.versions.map((version) => [version.id, version])),
    lineage,
  };
}

function facet(ctx: EventContext, schemaURL: string, fields: Record<string, unknown>): OpenLineageFacet {
  return { _producer: ctx.producer, _schemaURL: schemaURL, ...fields };
}

/** A dataset version as the dataset exporter names and describes it (same namespace, name and facets). */
function datasetVersion(ctx: EventContext, versionId: string): OpenLineageDataset {
  const version = ctx.versions.get(versionId);
  const unregistered = ctx.lineage.unregistered.find((v) => v.versionId === versionId);
  const datasetId = version?.datasetId ?? unregistered?.datasetId ?? versionId;
  const tableSha256 = version?.tableSha256 ?? unregistered?.tableDigest;
  const number = version?.version ?? unregistered?.version;
  return {
    namespace: ctx.datasetNamespace,
    name: `datasets/${datasetId}`,
    facets: {
      ...(version === undefined
        ? {}
        : {
            schema: facet(ctx, OPENLINEAGE_FACET_SCHEMA_URLS.schema, {
              fields: version.columns.map((c, i) => ({ name: c.name, type: c.type ?? 'string', ordinal_position: i + 1 })),
            }),
          }),
      dataSource: facet(ctx, OPENLINEAGE_FACET_SCHEMA_URLS.dataSource, {
        name: ctx.datasetNamespace,
        ...(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(ctx.datasetNamespace) ? { uri: ctx.datasetNamespace } : {}),
      }),
      ...(number === undefined ? {} : { version: facet(ctx, OPENLINEAGE_FACET_SCHEMA_URLS.version, { datasetVersion: String(number) }) }),
      assay_digests: facet(ctx, `${ctx.namespace}DatasetDigestsFacet`, {
        versionId,
        ...(version?.sha256 ? { sha256: version.sha256 } : {}),
        ...(tableSha256 === undefined ? {} : { tableSha256 }),
      }),
    },
  };
}

/** The model version as a dataset of type MODEL, with its digests. */
function modelDataset(ctx: EventContext): OpenLineageDataset {
  const { model } = ctx.lineage;
  return {
    namespace: ctx.datasetNamespace,
    name: `models/${model.modelId}`,
    facets: {
      datasetType: facet(ctx, MODEL_FACET_SCHEMA_URLS.datasetType, { datasetType: 'MODEL' }),
      version: facet(ctx, OPENLINEAGE_FACET_SCHEMA_URLS.version, { datasetVersion: String(model.version) }),
      assay_model: facet(ctx, `${ctx.namespace}ModelVersionFacet`, {
        modelName: model.name,
        modelVersionId: model.versionId,
        ...(model.modelDigest === null ? {} : { modelDigest: model.modelDigest }),
        artifacts: model.artifacts,
      }),
    },
  };
}

function evidenceFacet(ctx: EventContext, records: readonly RecordReference[]): OpenLineageFacet {
  return facet(ctx, `${ctx.namespace}EvidenceRecordsFacet`, { records: records.map(({ kind, id, digest }) => ({ kind, id, digest })) });
}

function job(ctx: EventContext, name: string, jobType: string): OpenLineageRunEvent['job'] {
  return {
    namespace: ctx.jobNamespace,
    name,
    facets: { jobType: facet(ctx, OPENLINEAGE_FACET_SCHEMA_URLS.jobType, { processingType: 'BATCH', integration: 'ASSAY', jobType }) },
  };
}

/** Parameters as OpenLineage execution parameters: one per JSON leaf, keyed by its JSON Pointer (as the dataset exporter writes them). */
function executionParameters(parameters: Record<string, unknown>): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}/${i}`));
    else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value).sort()) walk((value as Record<string, unknown>)[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    } else out.push({ key: path, value: typeof value === 'string' ? value : String(value) });
  };
  walk(parameters, '');
  return out;
}

function trainingEvents(ctx: EventContext, training: TrainingRun): OpenLineageRunEvent[] {
  const run = {
    runId: activityRunId(training.runId, ctx.namespace),
    facets: {
      ...(training.spec === null
        ? {}
        : { executionParameters: facet(ctx, OPENLINEAGE_FACET_SCHEMA_URLS.executionParameters, { parameters: executionParameters(training.spec) }) }),
      ...(training.backend === null
        ? {}
        : {
            processing_engine: facet(ctx, MODEL_FACET_SCHEMA_URLS.processingEngine, {
              name: `TensorFlow.js (${training.backend.name} backend)`,
              version: training.backend.tfjsVersion,
            }),
          }),
      assay_evidence: evidenceFacet(ctx, training.evidence),
    },
  };
  const inputs = training.splits.filter((split) => split.role === 'train' || split.role === 'validation').map((split) => datasetVersion(ctx, split.versionId));
  const base = {
    run,
    job: job(ctx, MODEL_JOB_NAMES.training, 'TRAINING'),
    inputs,
    outputs: [modelDataset(ctx)],
    producer: ctx.producer,
    schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA_URL,
  };
  return [
    { eventType: 'START', eventTime: training.startedAt, ...base },
    { eventType: 'COMPLETE', eventTime: training.endedAt, ...base },
  ];
}

function evaluationEvents(ctx: EventContext, evaluation: Evaluation, dossier: ModelDossier): OpenLineageRunEvent[] {
  const metrics = dossier.document.evaluation?.metrics;
  const run = {
    runId: activityRunId(evaluation.id, ctx.namespace),
    facets: {
      assay_evidence: evidenceFacet(ctx, [evaluation.evidence]),
      ...(metrics === undefined ? {} : { assay_metrics: facet(ctx, `${ctx.namespace}TestMetricsFacet`, { metrics }) }),
    },
  };
  const inputs = [...(evaluation.testVersionId === null ? [] : [datasetVersion(ctx, evaluation.testVersionId)]), modelDataset(ctx)];
  const base = {
    run,
    job: job(ctx, MODEL_JOB_NAMES.evaluation, 'EVALUATION'),
    inputs,
    outputs: [],
    producer: ctx.producer,
    schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA_URL,
  };
  const complete: OpenLineageRunEvent = { eventType: 'COMPLETE', eventTime: evaluation.endedAt ?? evaluation.evidence.createdAt, ...base };
  return evaluation.startedAt === null ? [complete] : [{ eventType: 'START', eventTime: evaluation.startedAt, ...base }, complete];
}

export function toModelOpenLineageEvents(dossier: ModelDossier, options?: OpenLineageOptions): OpenLineageRunEvent[] {
  const lineage = modelLineage(dossier);
  const datasetEvents = toOpenLineageEvents(lineage.graph, options);
  const ctx = context(lineage, options);
  const events = [
    ...datasetEvents,
    ...(lineage.training === null ? [] : trainingEvents(ctx, lineage.training)),
    ...(lineage.evaluation === null ? [] : evaluationEvents(ctx, lineage.evaluation, dossier)),
  ];
  // Stable: a run's START stays before its COMPLETE when both have the same time.
  return events
    .map((event, i) => ({ event, i, time: new Date(event.eventTime).getTime() }))
    .sort((a, b) => a.time - b.time || a.i - b.i)
    .map(({ event }) => event);
}
