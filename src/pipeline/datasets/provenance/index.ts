/**
 * Provenance exports for dataset versions: W3C PROV-JSON lineage documents and OpenLineage 2-0-2
 * run events, both from one `LineageGraph` a database layer fills. Pure library.
 */
export {
  LineageGraphError,
  assertLineageGraph,
  lineageGraphProblems,
  lineageOf,
  outputIds,
  outputRole,
  uploadActivity,
  type LineageActivity,
  type LineageAgent,
  type LineageColumn,
  type LineageGraph,
  type LineageOutput,
  type LineageVersion,
} from './lineage-graph';
export { DEFAULT_NAMESPACE, type ProvenanceOptions } from './provenance-namespace';
export { activityRunId, nameBasedUuidV8 } from './run-id';
export {
  PROV_JSON_MEDIA_TYPE,
  provId,
  toProvJson,
  type ProvAttributes,
  type ProvDocument,
  type ProvLiteral,
  type ProvTypedLiteral,
} from './prov-json.exporter';
export {
  DEFAULT_JOB_NAMESPACE,
  DEFAULT_OPENLINEAGE_PRODUCER,
  OPENLINEAGE_FACET_SCHEMA_URLS,
  OPENLINEAGE_RUN_EVENT_SCHEMA_URL,
  openLineageRunEvents,
  toOpenLineageEvents,
  type OpenLineageDataset,
  type OpenLineageFacet,
  type OpenLineageOptions,
  type OpenLineageRunEvent,
} from './openlineage.exporter';
