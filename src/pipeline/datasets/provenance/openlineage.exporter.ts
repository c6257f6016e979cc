import {
  assertLineageGraph,
  countOf,
  isoTime,
  outputIds,
  type LineageActivity,
  type LineageGraph,
  type LineageVersion,
} from './lineage-graph';
import { namespaceBase, type ProvenanceOptions } from './provenance-namespace';
import { activityRunId } from './run-id';

/** OpenLineage 2-0-2 run events, and the facet versions whose schemas the events follow. */
export const OPENLINEAGE_RUN_EVENT_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
export const OPENLINEAGE_FACET_SCHEMA_URLS = {
  schema: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  dataSource: 'https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet',
  version: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet',
  outputStatistics:
    'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  executionParameters: 'https://openlineage.io/spec/facets/1-0-0/ExecutionParametersRunFacet.json#/$defs/ExecutionParametersRunFacet',
} as const;
/** Identifies this exporter as the `producer` of events; deployments should set their own build's URI. */
export const DEFAULT_OPENLINEAGE_PRODUCER = 'https://assay.example/assay';
export const DEFAULT_JOB_NAMESPACE = 'assay';

export interface OpenLineageFacet {
  _producer: string;
  _schemaURL: string;
  [field: string]: unknown;
}
export type OpenLineageFacets = Record<string, OpenLineageFacet>;

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets: OpenLineageFacets;
  outputFacets?: OpenLineageFacets;
}

export interface OpenLineageRunEvent {
  eventType: 'START' | 'COMPLETE';
  eventTime: string;
  run: { runId: string; facets: OpenLineageFacets };
  job: { namespace: string; name: string; facets: OpenLineageFacets };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
  producer: string;
  schemaURL: string;
}

export interface OpenLineageOptions extends ProvenanceOptions {
  /** URI of the producing software (events' `producer`, facets' `_producer`). */
  producer?: string;
  /** Job namespace; default `assay`. */
  jobNamespace?: string;
  /** Dataset namespace (the data source); default the origin of the `assay:` namespace base. */
  datasetNamespace?: string;
}

/**
 * One START and one COMPLETE run event per activity of the graph (uploads included: they are the
 * jobs that created the first versions), ordered by start time. Each run's runId is derived from
 * the activity id, so exporting again gives the same events.
 */
export function toOpenLineageEvents(graph: LineageGraph, options?: OpenLineageOptions): OpenLineageRunEvent[] {
  assertLineageGraph(graph);
  const context = exportContext(graph, options);
  const activities = [...graph.activities].sort(
    (a, b) => new Date(a.startedAt).getTime() - new Date(b.startedAt).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return activities.flatMap((activity) => runEvents(activity, context));
}

/** The START and COMPLETE events of one activity of the graph. */
export function openLineageRunEvents(
  graph: LineageGraph,
  activityId: string,
  options?: OpenLineageOptions,
): [OpenLineageRunEvent, OpenLineageRunEvent] {
  assertLineageGraph(graph);
  const activity = graph.activities.find((a) => a.id === activityId);
  if (!activity) throw new Error(`activity ${activityId} is not in the lineage graph`);
  return runEvents(activity, exportContext(graph, options));
}

interface ExportContext {
  namespace: string;
  producer: string;
  jobNamespace: string;
  datasetNamespace: string;
  versions: Map<string, LineageVersion>;
}

function exportContext(graph: LineageGraph, options: OpenLineageOptions | undefined): ExportContext {
  const namespace = namespaceBase(options);
  const producer = options?.producer ?? DEFAULT_OPENLINEAGE_PRODUCER;
  if (!isAbsoluteUri(producer)) throw new Error(`OpenLineage producer must be an absolute URI (got ${JSON.stringify(producer)})`);
  return {
    namespace,
    producer,
    jobNamespace: options?.jobNamespace ?? DEFAULT_JOB_NAMESPACE,
    datasetNamespace: options?.datasetNamespace ?? new URL(namespace).origin,
    versions: new Map(graph.versions.map((v) => [v.id, v])),
  };
}

function runEvents(activity: LineageActivity, context: ExportContext): [OpenLineageRunEvent, OpenLineageRunEvent] {
  const facet = (schemaURL: string, fields: Record<string, unknown>): OpenLineageFacet => ({
    _producer: context.producer,
    _schemaURL: schemaURL,
    ...fields,
  });
  const run = {
    runId: activityRunId(activity.id, context.namespace),
    facets: {
      executionParameters: facet(OPENLINEAGE_FACET_SCHEMA_URLS.executionParameters, {
        parameters: executionParameters(activity.parameters),
      }),
    },
  };
  const job = {
    namespace: context.jobNamespace,
    name: `dataset-${activity.type}`,
    facets: {
      jobType: facet(OPENLINEAGE_FACET_SCHEMA_URLS.jobType, {
        processingType: 'BATCH',
        integration: 'ASSAY',
        jobType: activity.type.toUpperCase(),
      }),
    },
  };
  const dataset = (versionId: string): OpenLineageDataset => {
    const v = context.versions.get(versionId) as LineageVersion;
    return {
      namespace: context.datasetNamespace,
      name: `datasets/${v.datasetId}`,
      facets: {
        schema: facet(OPENLINEAGE_FACET_SCHEMA_URLS.schema, {
          fields: v.columns.map((c, i) => ({ name: c.name, type: c.type ?? 'string', ordinal_position: i + 1 })),
        }),
        dataSource: facet(OPENLINEAGE_FACET_SCHEMA_URLS.dataSource, {
          name: context.datasetNamespace,
          ...(isAbsoluteUri(context.datasetNamespace) ? { uri: context.datasetNamespace } : {}),
        }),
        version: facet(OPENLINEAGE_FACET_SCHEMA_URLS.version, { datasetVersion: String(v.version) }),
        // Custom facet (prefixed, per the spec's naming rule): ties the event to the verifiable digests.
        assay_digests: facet(`${context.namespace}DatasetDigestsFacet`, {
          versionId: v.id,
          ...(v.sha256 ? { sha256: v.sha256 } : {}),
          tableSha256: v.tableSha256,
        }),
      },
    };
  };
  const inputs = activity.inputs.map(dataset);
  const outputs = outputIds(activity);
  const base = { run, job, inputs, producer: context.producer, schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA_URL };
  const start: OpenLineageRunEvent = {
    eventType: 'START',
    eventTime: isoTime(activity.startedAt, `activity ${activity.id} startedAt`),
    ...base,
    outputs: outputs.map(dataset),
  };
  const complete: OpenLineageRunEvent = {
    eventType: 'COMPLETE',
    eventTime: isoTime(activity.endedAt, `activity ${activity.id} endedAt`),
    ...base,
    // Row counts are facts of the finished run, so only COMPLETE carries them.
    outputs: outputs.map((id) => {
      const v = context.versions.get(id) as LineageVersion;
      const size = countOf(v.bytes);
      return {
        ...dataset(id),
        outputFacets: {
          outputStatistics: facet(OPENLINEAGE_FACET_SCHEMA_URLS.outputStatistics, {
            rowCount: countOf(v.rows) ?? 0,
            ...(size === undefined ? {} : { size }),
          }),
        },
      };
    }),
  };
  return [start, complete];
}

/** Parameters as OpenLineage execution parameters: one per JSON leaf, keyed by its JSON Pointer, valued as text. */
function executionParameters(parameters: Record<string, unknown>): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}/${i}`));
    else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value).sort())
        walk((value as Record<string, unknown>)[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    } else out.push({ key: path, value: typeof value === 'string' ? value : String(value) });
  };
  walk(parameters, '');
  return out;
}

function isAbsoluteUri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(text);
}
