/**
 * The lineage of a model version for regulator exports, as W3C PROV-JSON (`toModelProvJson`) and as
 * OpenLineage run events (`toModelOpenLineageEvents`): datasets → training run → model version →
 * evaluation → promotion decisions and approvals → alias moves. Built on the dataset provenance
 * library (src/pipeline/datasets/provenance) from the dossier's evidence records only. Pure: no
 * NestJS, no database, no clock.
 */
export { toModelProvJson, modelProvId } from './model-prov.exporter';
export { toModelOpenLineageEvents, MODEL_FACET_SCHEMA_URLS, MODEL_JOB_NAMES } from './model-openlineage.exporter';
export {
  modelLineage,
  agentId,
  type ModelLineage,
  type TrainingRun,
  type Evaluation,
  type ModelVersionFacts,
  type RecordReference,
  type SplitUse,
  type UnregisteredVersion,
} from './model-lineage';
