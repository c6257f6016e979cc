/**
 * `toModelCard`: a model version's dossier as a Model Card Toolkit v0.0.2 document. Pure and
 * deterministic: no clock, no I/O, the same dossier (and charts) give the same card. Every figure
 * is the evidence document's, written exactly; what the evidence does not hold is left out or said
 * to be "not recorded", never filled in. The charts come from the model report's renderer
 * (`renderReportCharts`), as base64 PNG.
 */
import { evidenceDocumentDigest, type DatasetEvidence } from '../../evidence-document';
import type { ReportCharts } from '../../../pipeline/assessment/report';
import type { ModelDossier } from '../dossier/model-dossier';
import { datasetDescription, sensitiveData } from './dataset-statements';
import { latestRecord } from './dossier-records';
import {
  MODEL_CARD_SCHEMA_VERSION,
  type ModelCard,
  type ModelCardDataset,
  type ModelCardRisk,
  type ModelDetails,
  type ModelParameters,
  type PerformanceMetric,
  type QuantitativeAnalysis,
} from './model-card';
import { modelConsiderations } from './model-considerations';
import { inputFormat, modelArchitecture, modelInterface, outputFormat } from './model-interface';
import { intervalMethod, performanceMetrics, type MetricStatement } from './performance-metrics';
import { NOT_RECORDED, type RiskStatement } from './risk-statements';

/** RFC 6920 `ni:` name of a `sha256:<hex>` digest: the content-addressed reference a bundle can be checked against. */
export function niUri(digest: string): string | null {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
  return hex === undefined ? null : `ni:///sha-256;${Buffer.from(hex, 'hex').toString('base64url')}`;
}

function documentation(dossier: ModelDossier): string {
  const { document, registration, promotions } = dossier;
  const { model, training, evaluation, artifacts } = document;
  const method = intervalMethod(document);
  const lines = [
    `Model ${model.name} version ${model.version} (model version ${model.versionId}, registered model ${model.id}).`,
    `EU AI Act risk tier: ${model.riskTier}. Jurisdictions: ${model.jurisdictions.join(', ') || 'none declared'}.`,
    training === null
      ? `Training: ${NOT_RECORDED}.`
      : `Trained by run ${training.runId} from ${training.startedAt} to ${training.endedAt}: ${training.epochs} of ${training.epochsPlanned} planned epochs` +
        `${training.stoppedEarly ? ' (stopped early)' : ''}, seed ${training.seed}, run spec ${training.specDigest}.`,
    evaluation === null
      ? `Evaluation on the held-out test split: ${NOT_RECORDED}.`
      : `Evaluated on the held-out test split (dataset version ${evaluation.datasetVersionId}, ${evaluation.rows} rows); ` +
        `confidence intervals: ${method ?? NOT_RECORDED}.`,
    artifacts === null
      ? `Model artifacts: ${NOT_RECORDED}.`
      : `Model digest (root over ${artifacts.files.length} files): ${artifacts.modelDigest}; signature: ` +
        (artifacts.signature === null
          ? 'none (unsigned).'
          : `${artifacts.signature.format} (${artifacts.signature.method}), ${artifacts.signature.verified ? 'verified' : 'not verified'} when the evidence was assembled.`),
    `Human oversight measures: ${registration.oversightMeasures.length === 0 ? NOT_RECORDED : registration.oversightMeasures.join(' ')}`,
    `Stop procedure: ${registration.stopProcedure ?? NOT_RECORDED}`,
    ...(promotions.length === 0
      ? ['Promotion: none requested.']
      : promotions.map(
          (p) =>
            `Promotion to ${p.targetStage} requested ${p.requestedAt}: ${p.state}${p.decidedBy === null ? '' : ` by ${p.decidedBy} at ${p.decidedAt ?? NOT_RECORDED}`}` +
            `${p.rationale === null ? '' : ` (${p.rationale})`}; policy decision ${p.decisionDigest}: ${p.decision.counts.pass} rules passed, ` +
            `${p.decision.counts.fail} failed, ${p.decision.counts.waived} waived, ${p.decision.counts.error} not evaluable, ${p.decision.counts.not_applicable} not applicable.`,
        )),
    `Every statement here is taken from the assay.evidence/v1 document ${evidenceDocumentDigest(document)} (assembled ${document.assembledAt}) ` +
      `and the ${dossier.records.length} evidence records of the bundle.`,
  ];
  return lines.join('\n');
}

function modelDetails(dossier: ModelDossier): ModelDetails {
  const { model } = dossier.document;
  const description = dossier.registration.description.trim();
  const intended = `Intended use: ${model.intendedUse ?? `${NOT_RECORDED}.`}`;
  const registered = latestRecord(dossier, 'model_version.registered', (record) => record.subject.id === model.versionId);
  const date = /^\d{4}-\d{2}-\d{2}/.exec(registered?.createdAt ?? '')?.[0];
  const digests = [evidenceDocumentDigest(dossier.document), ...dossier.promotions.map((promotion) => promotion.decisionDigest)];
  const references = [...new Set(digests.map(niUri).filter((uri): uri is string => uri !== null))];
  return {
    name: model.name,
    overview: description === '' ? intended : `${description} ${intended}`,
    documentation: documentation(dossier),
    ...(model.provider === null ? {} : { owners: [{ name: model.provider.name, contact: model.provider.contact }] }),
    version: { name: String(model.version), ...(date === undefined ? {} : { date }) },
    ...(references.length === 0 ? {} : { references: references.map((reference) => ({ reference })) }),
  };
}

function dataset(dossier: ModelDossier, evidence: DatasetEvidence): ModelCardDataset {
  const sensitive = sensitiveData(dossier, evidence);
  return {
    name: `${evidence.name} v${evidence.version} (${evidence.role})`,
    description: datasetDescription(evidence),
    ...(sensitive.length === 0 ? {} : { sensitive: { sensitive_data: sensitive } }),
  };
}

function modelParameters(dossier: ModelDossier): ModelParameters {
  const io = modelInterface(dossier);
  const architecture = modelArchitecture(dossier);
  const input = inputFormat(io);
  const output = outputFormat(io);
  const outputMap = [
    ...(io.label === null ? [] : [{ key: 'label', value: io.label }]),
    ...(io.classes === null ? [] : [{ key: 'classes', value: io.classes.join(', ') }]),
    ...(io.positiveLabel === null ? [] : [{ key: 'positive class', value: io.positiveLabel }]),
  ];
  return {
    ...(architecture === null ? {} : { model_architecture: architecture }),
    data: dossier.document.datasets.map((evidence) => dataset(dossier, evidence)),
    ...(input === null ? {} : { input_format: input }),
    ...(io.features === null ? {} : { input_format_map: io.features.map((feature) => ({ key: feature.name, value: feature.type ?? NOT_RECORDED })) }),
    ...(output === null ? {} : { output_format: output }),
    ...(outputMap.length === 0 ? {} : { output_format_map: outputMap }),
  };
}

function metric(statement: MetricStatement): PerformanceMetric {
  return {
    type: statement.type,
    ...(statement.value === null ? {} : { value: statement.value }),
    ...(statement.slice === null ? {} : { slice: statement.slice }),
    ...(statement.interval === null ? {} : { confidence_interval: { lower_bound: statement.interval.lower, upper_bound: statement.interval.upper } }),
  };
}

function quantitativeAnalysis(dossier: ModelDossier, charts: Readonly<ReportCharts>): QuantitativeAnalysis {
  const metrics = performanceMetrics(dossier.document).map(metric);
  const graphics = Object.values(charts).map((chart) => ({ name: chart.title, image: chart.png.toString('base64') }));
  return {
    ...(metrics.length === 0 ? {} : { performance_metrics: metrics }),
    ...(graphics.length === 0
      ? {}
      : { graphics: { description: 'Charts of the model report (PNG, base64), drawn from the evidence records.', collection: graphics } }),
  };
}

const risk = ({ name, mitigation }: RiskStatement): ModelCardRisk => (mitigation === null ? { name } : { name, mitigation_strategy: mitigation });
const described = (descriptions: readonly string[]) => descriptions.map((description) => ({ description }));

export function toModelCard(dossier: ModelDossier, charts: Readonly<ReportCharts> = {}): ModelCard {
  const considerations = modelConsiderations(dossier);
  return {
    schema_version: MODEL_CARD_SCHEMA_VERSION,
    model_details: modelDetails(dossier),
    model_parameters: modelParameters(dossier),
    quantitative_analysis: quantitativeAnalysis(dossier, charts),
    considerations: {
      users: described(considerations.users),
      use_cases: described(considerations.useCases),
      limitations: described(considerations.limitations),
      tradeoffs: described(considerations.tradeoffs),
      ethical_considerations: [
        ...considerations.privacy,
        ...considerations.fairnessRisks,
        ...considerations.policy,
        { name: `Environmental impact. ${considerations.environment}`, mitigation: null },
      ].map(risk),
    },
  };
}
