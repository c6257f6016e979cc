import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { sha256Digest } from '../../platform/ledger/verification';
import { ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { isPlainObject } from '../datasets/json-checks';
import { EnergyMeter } from '../energy';
import { EXPLANATION_METHODS, explainPrediction, featureGroupsFromPreprocessor, type ExplanationMethod, type PredictionExplanation } from '../explainability';
import { PreprocessingError } from '../training/preprocessing';
import { TrainedModelCache } from '../training/runs/trained-model.cache';
import { TrainingRunsService } from '../training/runs/training-runs.service';

export interface ExplanationResponse {
  runId: string;
  modelDigest: string;
  explanation: PredictionExplanation;
  /** Digest of the `explanation.generated` record (the input itself is not stored, only its digest). */
  evidence: string;
  inputDigest: string;
}

const MAX_FIELDS = 10_000;

/**
 * "Right to an explanation": one input explained by integrated gradients and KernelSHAP against
 * the training split, recorded as `explanation.generated` with the input's digest (never the
 * input: it is often personal data) and the energy it cost.
 */
@Injectable()
export class ExplanationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runs: TrainingRunsService,
    private readonly models: TrainedModelCache,
    private readonly evidence: EvidenceService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  explainForRun(auth: AuthContext, runId: string, body: unknown): Promise<ExplanationResponse> {
    return withSpan('assay.explain', { [ATTR.runId]: runId, 'assay.explanation.scope': 'request' }, () => this.explain(auth, runId, body));
  }

  private async explain(auth: AuthContext, runId: string, body: unknown): Promise<ExplanationResponse> {
    const run = await this.runs.findReadable(auth, runId);
    if (run.state !== 'succeeded' || !run.result) throw new AssayException('RUN_NOT_SUCCEEDED', `Run ${runId} has no model (it is ${run.state})`);
    const { input, methods } = parseRequest(body);
    const loaded = await this.models.get(run.result, run.inputs);
    let row;
    try {
      row = loaded.preprocessor.transformRow(input);
    } catch (error) {
      if (error instanceof PreprocessingError) throw new AssayException('EXPLANATION_INPUT_INVALID', error.message, { ...error.details });
      throw error;
    }
    const background = await loaded.trainingRows();
    const meter = new EnergyMeter({
      ...(this.config.ASSAY_ENERGY_TDP_PER_CORE_W ? { tdpPerCoreW: this.config.ASSAY_ENERGY_TDP_PER_CORE_W } : {}),
      pue: this.config.ASSAY_ENERGY_PUE,
      ...(this.config.ASSAY_GRID_INTENSITY ? { gridIntensity: this.config.ASSAY_GRID_INTENSITY } : {}),
    });
    const { result: explanation, measurement } = await meter.measure(() =>
      explainPrediction({
        model: loaded.model,
        x: row.x,
        groups: featureGroupsFromPreprocessor(loaded.preprocessor.toJSON()),
        classNames: loaded.preprocessor.outputClasses,
        background: { x: background.x, rows: background.rows },
        seed: run.spec.model.training.seed,
        ...(methods ? { methods } : {}),
      }),
    );
    const inputDigest = sha256Digest(input);
    const recordBody = JSON.parse(
      JSON.stringify({
        runId: run.id,
        modelDigest: run.result.modelDigest,
        trainingEvidence: run.result.trainingEvidence,
        scope: 'request',
        inputDigest,
        explanation: { ...explanation, imputed: row.imputed, unknownCategories: row.unknownCategories },
      }),
    ) as Record<string, unknown>;
    const record = await this.db.transaction(async (tx) => {
      const subject = { type: 'training_run', id: run.id };
      await this.evidence.record(tx, {
        kind: 'energy.measured',
        subject,
        actor: userActor(auth.user.id),
        subjectOwnerId: run.owner_id,
        body: JSON.parse(JSON.stringify({ stage: 'explanation', subject, measurement })) as Record<string, unknown>,
      });
      return this.evidence.record(tx, {
        kind: 'explanation.generated',
        subject,
        actor: userActor(auth.user.id),
        subjectOwnerId: run.owner_id,
        body: recordBody,
      });
    });
    return { runId: run.id, modelDigest: run.result.modelDigest, explanation, evidence: record.digest, inputDigest };
  }
}

function parseRequest(body: unknown): { input: Record<string, string | null>; methods?: ExplanationMethod[] } {
  const problems: { path: string; message: string }[] = [];
  if (!isPlainObject(body))
    throw new AssayException('EXPLANATION_INPUT_INVALID', 'The body must be {input, methods?}', { problems: [{ path: '', message: 'must be an object' }] });
  for (const key of Object.keys(body))
    if (key !== 'input' && key !== 'methods') problems.push({ path: `/${key}`, message: 'is not allowed (allowed: input, methods)' });
  const input: Record<string, string | null> = {};
  if (!isPlainObject(body.input)) problems.push({ path: '/input', message: 'must be an object of column → value' });
  else {
    const entries = Object.entries(body.input);
    if (entries.length > MAX_FIELDS) problems.push({ path: '/input', message: `has more than ${MAX_FIELDS} fields` });
    for (const [name, value] of entries.slice(0, MAX_FIELDS)) {
      if (value === null || typeof value === 'string') input[name] = value;
      else if (typeof value === 'number' && Number.isFinite(value)) input[name] = String(value);
      else if (typeof value === 'boolean') input[name] = String(value);
      else problems.push({ path: `/input/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'must be a string, a finite number, a boolean or null' });
    }
  }
  let methods: ExplanationMethod[] | undefined;
  if (body.methods !== undefined) {
    if (!Array.isArray(body.methods) || body.methods.length === 0 || body.methods.some((m) => !EXPLANATION_METHODS.includes(m as ExplanationMethod))) {
      problems.push({ path: '/methods', message: `must be a non-empty list of ${EXPLANATION_METHODS.join(', ')}` });
    } else methods = [...new Set(body.methods as ExplanationMethod[])];
  }
  if (problems.length > 0) throw new AssayException('EXPLANATION_INPUT_INVALID', 'The explanation request is invalid', { problems });
  return { input, ...(methods ? { methods } : {}) };
}
