/**
 * Model cards for regulator exports: a model version's dossier as a Google Model Card Toolkit
 * v0.0.2 document (`toModelCard`) and as a self-contained HTML page (`renderModelCardHtml`), or
 * both with the charts rendered once (`renderModelCard`). Pure: no NestJS, no database, no clock.
 * The statements it makes (considerations, risks, metrics, model inputs and outputs) are exported
 * for the other document generators, so every export says the same thing.
 */
export * from './model-card';
export { toModelCard, niUri } from './model-card.builder';
export { renderModelCardHtml, MODEL_CARD_SECTIONS } from './model-card.html';
export { renderModelCard, type RenderedModelCard } from './model-card.page';
export { modelConsiderations, USERS_NOT_RECORDED, type ModelConsiderations } from './model-considerations';
export { modelInterface, modelArchitecture, inputFormat, outputFormat, type ModelFeature, type ModelInterface } from './model-interface';
export { performanceMetrics, intervalMethod, groupSlice, exact, type MetricStatement } from './performance-metrics';
export {
  NOT_RECORDED,
  datasetLabel,
  environmentalImpact,
  fairnessFindings,
  lawfulBasisText,
  policyFindings,
  privacyRisks,
  type FairnessFinding,
  type RiskStatement,
} from './risk-statements';
export { datasheetOf, datasetDescription, sensitiveData, dataClassification } from './dataset-statements';
export { recordsInForce, latestRecord, modelRunId, trainingRecord, evaluationRecord, objectField, stringField, stringList } from './dossier-records';
