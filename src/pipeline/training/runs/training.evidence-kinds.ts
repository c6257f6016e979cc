import { schemaParts, type EvidenceKind } from '../../../platform/evidence/evidence-kind';

const { uuid, digest } = schemaParts;
const splitInput = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'versionId', 'version', 'tableDigest', 'rows'],
  properties: {
    role: { enum: ['train', 'validation', 'test'] },
    versionId: uuid,
    version: { type: 'integer', minimum: 1 },
    tableDigest: digest,
    rows: { type: 'integer', minimum: 0 },
  },
};
const inputs = {
  type: 'object',
  additionalProperties: false,
  required: ['datasetId', 'sourceVersionId', 'sourceVersion', 'transformationId', 'splits'],
  properties: {
    datasetId: uuid,
    sourceVersionId: uuid,
    sourceVersion: { type: 'integer', minimum: 1 },
    transformationId: uuid,
    splits: { type: 'array', minItems: 1, items: splitInput },
  },
};
const error = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'object' },
  },
};
const coverage = {
  type: 'object',
  additionalProperties: false,
  required: ['attempt', 'fromEpoch', 'toEpoch'],
  properties: {
    attempt: { type: 'integer', minimum: 1 },
    fromEpoch: { type: 'integer', minimum: 0 },
    toEpoch: { type: 'integer', minimum: 0 },
  },
};

/** Evidence of the training stage (DESIGN.md "The spine"): requested → completed | failed | cancelled, and the energy each attempt used. */
export const TRAINING_EVIDENCE_KINDS: EvidenceKind[] = [
  {
    kind: 'training.requested',
    version: 1,
    description: 'A training run was requested: who, on which dataset versions, with which spec.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['runId', 'name', 'inputs', 'spec', 'specDigest'],
      properties: {
        runId: uuid,
        name: { type: 'string' },
        inputs,
        spec: { type: 'object' },
        specDigest: digest,
        idempotencyKey: { type: 'string' },
      },
    },
  },
  {
    kind: 'energy.measured',
    version: 1,
    description: 'Wall and CPU time, peak memory, estimated FLOPs, energy (RAPL or TDP estimate, with bounds) and CO2e of one piece of work.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['stage', 'subject', 'measurement'],
      properties: {
        stage: { enum: ['training', 'evaluation', 'explanation'] },
        subject: {
          type: 'object',
          required: ['type', 'id'],
          properties: { type: { type: 'string' }, id: { type: 'string' } },
        },
        coverage,
        measurement: {
          type: 'object',
          required: ['method', 'wallSeconds', 'cpuSeconds', 'peakRssBytes', 'energyKwh', 'energyBoundsKwh', 'co2eGrams', 'co2eBoundsGrams', 'gridIntensity'],
          properties: {
            method: { enum: ['rapl', 'tdp-estimate'] },
            wallSeconds: { type: 'number', minimum: 0 },
            cpuSeconds: { type: 'number', minimum: 0 },
            peakRssBytes: { type: 'number', minimum: 0 },
            energyKwh: { type: 'number', minimum: 0 },
            energyBoundsKwh: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
            co2eGrams: { type: 'number', minimum: 0 },
            co2eBoundsGrams: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
            gridIntensity: {
              type: 'object',
              required: ['gCo2ePerKwh', 'source'],
              properties: {
                gCo2ePerKwh: { type: 'number' },
                source: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
  {
    kind: 'training.completed',
    version: 1,
    description: 'A run produced a signed model: data digests, spec, backend, seed, metrics per epoch, artifact digests, signature and energy record.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [
        'runId',
        'inputs',
        'spec',
        'specDigest',
        'modelSpecDigest',
        'preprocessorDigest',
        'backend',
        'seed',
        'epochs',
        'history',
        'testMetrics',
        'artifacts',
        'modelDigest',
        'signature',
        'energyEvidence',
        'attempts',
      ],
      properties: {
        runId: uuid,
        inputs,
        spec: { type: 'object' },
        specDigest: digest,
        modelSpecDigest: digest,
        preprocessorDigest: digest,
        backend: {
          type: 'object',
          required: ['name', 'tfjsVersion', 'backendVersion'],
          properties: {
            name: { enum: ['tensorflow', 'wasm', 'cpu'] },
            tfjsVersion: { type: 'string' },
            backendVersion: { type: 'string' },
          },
        },
        seed: { type: 'integer', minimum: 0 },
        /** DP-SGD runs only: the (ε, δ) the steps taken spent, with the accountant, conversion, noise, clip and sampling rate. */
        differentialPrivacy: {
          type: 'object',
          required: ['accountant', 'mechanism', 'conversion', 'epsilon', 'delta', 'steps', 'sampleRate', 'noiseMultiplier', 'l2NormClip', 'expectedBatchSize'],
          properties: {
            accountant: { const: 'rdp' },
            mechanism: { const: 'sampled_gaussian' },
            conversion: { enum: ['classic', 'balle2020'] },
            epsilon: { type: ['number', 'null'], minimum: 0 },
            delta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
            steps: { type: 'integer', minimum: 0 },
            sampleRate: { type: 'number', minimum: 0, maximum: 1 },
            noiseMultiplier: { type: 'number', minimum: 0 },
            l2NormClip: { type: 'number', exclusiveMinimum: 0 },
            expectedBatchSize: { type: 'number', exclusiveMinimum: 0 },
          },
        },
        epochs: {
          type: 'object',
          additionalProperties: false,
          required: ['completed', 'stoppedEarly', 'bestEpoch', 'weightsEpoch'],
          properties: {
            completed: { type: 'integer', minimum: 0 },
            stoppedEarly: { type: 'boolean' },
            bestEpoch: { type: ['integer', 'null'] },
            weightsEpoch: { type: ['integer', 'null'] },
          },
        },
        history: { type: 'array', items: { type: 'object' } },
        testMetrics: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['loss', 'accuracy', 'rows'],
              properties: {
                loss: { type: 'number' },
                accuracy: { type: 'number' },
                rows: { type: 'integer' },
              },
            },
          ],
        },
        flops: { type: 'object' },
        artifacts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'digest', 'size'],
            properties: {
              path: { type: 'string' },
              digest,
              size: { type: 'integer', minimum: 0 },
            },
          },
        },
        modelDigest: digest,
        signature: {
          type: 'object',
          additionalProperties: false,
          required: ['digest', 'format', 'keyHint', 'algorithm'],
          properties: {
            digest,
            format: { type: 'string' },
            keyHint: { type: 'string' },
            algorithm: { type: 'string' },
          },
        },
        energyEvidence: digest,
        attempts: { type: 'integer', minimum: 1 },
      },
    },
  },
  {
    kind: 'training.failed',
    version: 1,
    description: 'A run failed: why, after how many epochs; its partial artifacts were removed.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['runId', 'attempt', 'error', 'epochsCompleted'],
      properties: {
        runId: uuid,
        attempt: { type: 'integer', minimum: 1 },
        error,
        epochsCompleted: { type: 'integer', minimum: 0 },
        energyEvidence: digest,
      },
    },
  },
  {
    kind: 'training.cancelled',
    version: 1,
    description: 'A run was cancelled (queued, or running: after its current batch); its partial artifacts were removed.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['runId', 'epochsCompleted'],
      properties: {
        runId: uuid,
        attempt: { type: 'integer', minimum: 0 },
        epochsCompleted: { type: 'integer', minimum: 0 },
        energyEvidence: digest,
      },
    },
  },
];
