/**
 * JSON Schema (draft 2020-12) of `assay.evidence/v1`, the source of truth for both validation and
 * the CEL types policy rules are checked against. Published as assay.evidence.v1.schema.json
 * (regenerate with publish-schemas.ts; a spec keeps the two equal).
 *
 * The schema keeps to a subset that maps onto CEL types one to one (policy/cel-types.ts): objects
 * with fixed properties, arrays, strings (enums are strings), integers (CEL int), numbers (CEL
 * double), booleans, `$ref` into `$defs`, and "X or null" written as `anyOf: [X, {type: null}]`.
 * Required sections are nullable rather than optional, so a document says "looked: nothing".
 */
import {
  DATA_SOURCE_KINDS,
  GDPR_ARTICLE_6_BASES,
  GDPR_ARTICLE_9_CONDITIONS,
  GDPR_SPECIAL_CATEGORIES,
  IDENTIFIABILITY_LEVELS,
} from '../../pipeline/datasets/datasheet/datasheet.vocabulary';
import { ISO_3166_ALPHA2_CODES } from '../../pipeline/datasets/datasheet/iso-3166-country';
import { ENTITY_TYPES } from '../../pipeline/privacy/recognizers/entity-types';
import { EVIDENCE_DOCUMENT_FORMAT, PROMOTION_STAGES } from './evidence-document';

export type JsonSchema = Record<string, unknown>;

export const EVIDENCE_DOCUMENT_SCHEMA_ID = 'https://assay.example/schemas/assay.evidence/v1.schema.json';

/** An object that admits exactly the listed properties; `optional` names those that may be absent. */
const object = (properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const list = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, maxItems: 10_000, ...extra });
const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const oneOf = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });

const text: JsonSchema = { type: 'string', minLength: 1, maxLength: 4000 };
const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const identifier: JsonSchema = { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 100 };
/** Method names as the producing modules write them: `permutation-importance`, `kernel-shap`, … */
const methodName: JsonSchema = { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 100 };
/** Metric names as the evaluation reports them: accuracy, rocAuc, expectedCalibrationError, … */
const metricName: JsonSchema = { type: 'string', pattern: '^[a-z][A-Za-z0-9_]*$', maxLength: 100 };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const number: JsonSchema = { type: 'number' };
const nonNegative: JsonSchema = { type: 'number', minimum: 0 };
const share: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const uuid = ref('uuid');
const digest = ref('digest');
const dateTime = ref('dateTime');
const country = ref('countryCode');

const $defs: Record<string, JsonSchema> = {
  uuid: { type: 'string', format: 'uuid' },
  digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  dateTime: { type: 'string', format: 'date-time' },
  countryCode: oneOf(ISO_3166_ALPHA2_CODES),
  datasetRole: oneOf(['training', 'validation', 'test']),
  interval: object({ lower: number, upper: number }),
  confidenceInterval: object(
    {
      lower: number,
      upper: number,
      level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      method: methodName,
      resamples: nullable({ type: 'integer', minimum: 1 }),
      undefinedResamples: count,
    },
    ['undefinedResamples'],
  ),
  metricValue: object({ name: metricName, value: nullable(number), ci: nullable(ref('confidenceInterval')) }),
  legalBasis: object({
    article6: oneOf(GDPR_ARTICLE_6_BASES),
    article9Condition: nullable(oneOf(GDPR_ARTICLE_9_CONDITIONS)),
    consentCoversModelTraining: nullable({ type: 'boolean' }),
  }),
};

const model = object({
  id: uuid,
  name,
  versionId: uuid,
  version: { type: 'integer', minimum: 1 },
  riskTier: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 50 },
  intendedUse: nullable(text),
  prohibitedUses: list(text),
  jurisdictions: list(country, { uniqueItems: true }),
  knownLimitations: nullable(list(text)),
  declaredPerformance: list(object({ metric: metricName, minimum: number, maximum: number }, ['minimum', 'maximum'])),
  provider: nullable(object({ name, contact: text })),
});

const record = object({ kind: { type: 'string', pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_-]*)+$' }, digest, ledgerIndex: nullable(count), createdAt: dateTime });

const artifacts = object({
  modelDigest: digest,
  files: list(object({ path: { type: 'string', minLength: 1, maxLength: 1000 }, digest })),
  signature: nullable(
    object({
      format: oneOf(['oms-v1.0']),
      verified: { type: 'boolean' },
      method: oneOf(['key', 'certificate', 'sigstore', 'envelope']),
      keyHint: nullable(name),
    }),
  ),
});

const stringList = list(name);

const datasheet = object({
  digest,
  complete: { type: 'boolean' },
  missing: list({ type: 'string', minLength: 1, maxLength: 300 }),
  purpose: text,
  sources: list(object({ name, kind: oneOf(DATA_SOURCE_KINDS) })),
  licence: nullable(name),
  jurisdictions: nullable(list(country)),
  labelColumn: nullable(name),
  personalData: { type: 'boolean' },
  identifiability: nullable(oneOf(IDENTIFIABILITY_LEVELS)),
  specialCategoryData: { type: 'boolean' },
  specialCategories: list(oneOf(GDPR_SPECIAL_CATEGORIES)),
  criminalOffenceData: { type: 'boolean' },
  childrenData: nullable({ type: 'boolean' }),
  legalBasis: nullable(ref('legalBasis')),
  sensitiveAttributes: nullable(stringList),
  quasiIdentifiers: nullable(stringList),
  dataSubjectsInformed: nullable({ type: 'boolean' }),
  dpiaReference: nullable(name),
  knownBiases: nullable(list(text)),
});

const dataset = object({
  role: ref('datasetRole'),
  datasetId: uuid,
  name,
  versionId: uuid,
  version: { type: 'integer', minimum: 1 },
  origin: oneOf(['upload', 'transformation']),
  tableDigest: digest,
  rawDigest: nullable(digest),
  rows: count,
  columns: count,
  datasheet: nullable(datasheet),
});

const privacy = object({
  scans: list(object({ datasetVersionId: uuid, role: ref('datasetRole'), digest, rows: count, piiColumns: stringList })),
  findings: list(object({ entityType: oneOf(ENTITY_TYPES), columns: stringList, count, maxShare: share, maxConfidence: share })),
  personalDataDetected: { type: 'boolean' },
  kAnonymity: nullable(object({ k: count, quasiIdentifiers: stringList, records: count, classes: count })),
  legalBasis: nullable(ref('legalBasis')),
});

const training = object({
  runId: uuid,
  specDigest: digest,
  modelType: identifier,
  backend: object({ name: oneOf(['tensorflow', 'wasm', 'cpu']), version: name, tfjsVersion: name, deterministic: { type: 'boolean' } }),
  seed: { type: 'integer' },
  epochs: count,
  epochsPlanned: count,
  stoppedEarly: { type: 'boolean' },
  startedAt: dateTime,
  endedAt: dateTime,
  metrics: list(object({ name: metricName, split: oneOf(['training', 'validation']), value: number })),
  preprocessingDigest: nullable(digest),
  trainingDatasetVersionId: uuid,
  validationDatasetVersionId: nullable(uuid),
});

const energy = object({
  method: oneOf(['rapl', 'tdp-estimate']),
  energyKwh: nonNegative,
  energyBoundsKwh: ref('interval'),
  co2eGrams: nonNegative,
  co2eBoundsGrams: ref('interval'),
  gridIntensity: object({ gCo2ePerKwh: nonNegative, source: text, region: name, year: { type: 'string', pattern: '^[0-9]{4}$' } }),
  wallSeconds: nonNegative,
  cpuSeconds: nonNegative,
  peakRssBytes: count,
  estimatedFlops: nullable(nonNegative),
});

const evaluation = object({
  datasetVersionId: uuid,
  rows: count,
  positiveLabel: nullable(name),
  metrics: list(ref('metricValue')),
  slices: list(object({ attribute: name, value: name, rows: count, metrics: list(ref('metricValue')) })),
});

const valueList = list(name, { minItems: 1 });

const fairness = object({
  datasetVersionId: uuid,
  minGroupSize: count,
  fourFifthsThreshold: share,
  attributeSets: list(
    object({
      attributes: valueList,
      kind: oneOf(['attribute', 'intersection']),
      groups: list(
        object({
          values: valueList,
          size: count,
          selectionRate: nullable(share),
          truePositiveRate: nullable(share),
          falsePositiveRate: nullable(share),
          tooSmallToJudge: { type: 'boolean' },
        }),
      ),
      demographicParityDifference: nullable(share),
      demographicParityRatio: nullable(share),
      equalOpportunityDifference: nullable(share),
      equalizedOddsDifference: nullable(share),
      fourFifthsPass: nullable({ type: 'boolean' }),
      adverselyImpactedGroups: list(valueList),
    }),
  ),
  minDemographicParityRatio: nullable(share),
  maxEqualizedOddsDifference: nullable(share),
  preTraining: nullable(list(object({ attributes: valueList, positiveRateRatio: nullable(share), positiveRateDifference: nullable(share) }))),
});

const robustness = object({
  datasetVersionId: uuid,
  metric: metricName,
  baseline: nullable(number),
  conditions: list(
    object({ kind: oneOf(['noise', 'masking']), sigma: nullable(nonNegative), column: nullable(name), value: nullable(number), drop: nullable(number) }),
  ),
  maxDrop: nullable(number),
});

const explanations = object({
  global: nullable(object({ method: methodName, features: list(object({ name, importance: number })) })),
  local: list(object({ method: methodName, examples: count, maxCompletenessGap: nullable(nonNegative) })),
  onRequest: { type: 'boolean' },
});

const humanOversight = object({
  requestedBy: object({ id: uuid, role: identifier }),
  requestedAt: dateTime,
  targetStage: oneOf(PROMOTION_STAGES),
  rationale: nullable(text),
  approvalRequired: { type: 'boolean' },
  measures: list(text),
  stopProcedure: nullable(text),
});

const differentialPrivacy = object({
  accountant: oneOf(['rdp']),
  mechanism: oneOf(['sampled_gaussian']),
  conversion: oneOf(['classic', 'balle2020']),
  epsilon: nullable(nonNegative),
  delta: share,
  optimalOrder: nullable({ type: 'number', exclusiveMinimum: 1 }),
  steps: count,
  sampleRate: share,
  noiseMultiplier: nonNegative,
  l2NormClip: { type: 'number', exclusiveMinimum: 0 },
  expectedBatchSize: { type: 'integer', minimum: 1 },
  budget: nullable(object({ epsilon: nonNegative, delta: share, spentEpsilon: nonNegative, remainingEpsilon: number })),
});

const membershipInference = object({
  attack: oneOf(['loss_threshold']),
  auc: share,
  aucCi: ref('confidenceInterval'),
  advantage: { type: 'number', minimum: -1, maximum: 1 },
  advantageCi: ref('confidenceInterval'),
  members: count,
  nonMembers: count,
});

const monitoring = object({
  plan: nullable(
    object({
      decisionLogging: { type: 'boolean' },
      features: stringList,
      window: { type: 'string', pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$' },
      thresholds: list(object({ metric: identifier, value: number })),
      groupDrift: { type: 'boolean' },
      webhooks: count,
    }),
  ),
  openAlerts: count,
  lastAlertAt: nullable(dateTime),
});

export const EVIDENCE_DOCUMENT_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: EVIDENCE_DOCUMENT_SCHEMA_ID,
  title: 'Assay evidence document (assay.evidence/v1)',
  description:
    'Everything policy rules may read about one model version, assembled from its evidence records. ' +
    'A required section that is null means the evidence does not exist; an empty list means "recorded: none".',
  ...object(
    {
      format: { const: EVIDENCE_DOCUMENT_FORMAT },
      assembledAt: dateTime,
      model,
      records: list(record),
      artifacts: nullable(artifacts),
      datasets: list(dataset),
      privacy: nullable(privacy),
      training: nullable(training),
      energy: nullable(energy),
      evaluation: nullable(evaluation),
      fairness: nullable(fairness),
      robustness: nullable(robustness),
      explanations: nullable(explanations),
      humanOversight: nullable(humanOversight),
      differentialPrivacy: nullable(differentialPrivacy),
      membershipInference: nullable(membershipInference),
      monitoring: nullable(monitoring),
    },
    ['differentialPrivacy', 'membershipInference', 'monitoring'],
  ),
  $defs,
};
