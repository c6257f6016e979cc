import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { sha256Digest } from '../../platform/ledger/verification';
import { ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { isPlainObject } from '../../pipeline/datasets/json-checks';
import { explainPrediction, featureGroupsFromPreprocessor, type PredictionExplanation } from '../../pipeline/explainability';
import { DecisionLogWriter, type PredictionRecord } from '../decision-log/decision-log.writer';
import { decisionLeafHash, inputDigest, leafText, PREDICTION_LEAF, type PredictionLeaf } from '../decision-log/decision-leaf';
import { monitoringView } from '../monitoring/drift';
import { parseInputs, type ParsedInput } from './prediction-input';
import { ServedModels, type ResolvedVersion, type ServingModel, type ServingTarget } from './served-models';
import { ServingMetrics } from './serving.metrics';

export interface PredictionView {
  /** The decision's id: ask for its proof or report its outcome with it. */
  id: string;
  label: string;
  /** Binary: P(positive class); multiclass: P(predicted class). */
  score: number;
  /** Multiclass only: every class's probability. */
  probabilities?: Record<string, number>;
  /** Features whose missing value the stored preprocessing imputed. */
  imputed?: string[];
  explanation?: PredictionExplanation;
  explanationDigest?: string;
}

export interface PredictResponse {
  model: { id: string; name: string; alias: string | null; version: number; versionId: string; modelDigest: string };
  /** Whether the decisions are in the decision log (the model's monitoring plan may switch it off). */
  logged: boolean;
  predictedAt: string;
  predictions: PredictionView[];
}

/** A logged prediction as proofs and outcomes need it. */
export interface LoggedPredictionRow {
  id: string;
  owner_id: string;
  model_version_id: string;
  run_id: string;
  leaf: string;
  batch_id: string | null;
  leaf_index: number | null;
  outcome: string | null;
}

interface PredictRequest {
  inputs: unknown[];
  explain: boolean;
}

/**
 * Serving: a version that passed the gate answers predictions over its stored preprocessing, and
 * every answer is logged before it is sent — time, model digest, a salted digest of the input
 * (the input itself only where the training datasheet declares no personal data), output and
 * caller — as a decision-log leaf that a later batch commits to the ledger. An invalid request is
 * refused as a whole, before anything is predicted or logged.
 */
@Injectable()
export class PredictionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly served: ServedModels,
    private readonly log: DecisionLogWriter,
    private readonly metrics: ServingMetrics,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  async predict(auth: AuthContext, target: ServingTarget, body: unknown): Promise<PredictResponse> {
    const request = this.parseRequest(body);
    const version = await this.served.resolve(auth, target);
    return withSpan(
      'assay.predict',
      { [ATTR.modelId]: version.modelId, 'assay.model.version': version.version, 'assay.predict.rows': request.inputs.length },
      () => this.answer(auth, version, request),
    );
  }

  private async answer(auth: AuthContext, version: ResolvedVersion, request: PredictRequest): Promise<PredictResponse> {
    const model = await this.served.load(version);
    const parsed = parseInputs(request.inputs, model.schema);
    if (!parsed.ok) {
      this.metrics.rejected(request.inputs.length);
      throw new AssayException('PREDICTION_INPUT_INVALID', `${new Set(parsed.problems.map((p) => p.index)).size} input(s) do not fit the model`, {
        problems: parsed.problems,
      });
    }
    const width = model.loaded.preprocessor.featureCount;
    const rows = parsed.inputs.length;
    const x = new Float32Array(rows * width);
    const imputed: string[][] = [];
    parsed.inputs.forEach((input, r) => {
      const row = model.loaded.preprocessor.transformRow(input.cells);
      x.set(row.x, r * width);
      imputed.push(row.imputed);
    });
    const out = await model.predict(x, rows);
    const explanations = request.explain ? await this.explain(model, x, rows) : null;
    const now = new Date().toISOString();
    const logged = version.decisionLogging;
    const predictions: PredictionView[] = [];
    const records: PredictionRecord[] = [];
    parsed.inputs.forEach((input, r) => {
      const id = randomUUID();
      const label = out.labels[r]!;
      const score = out.scores[r]!;
      const view: PredictionView = { id, label, score };
      if (out.probabilities) view.probabilities = Object.fromEntries(model.classes.map((c, k) => [c, out.probabilities![r * model.classes.length + k]!]));
      if (imputed[r]!.length > 0) view.imputed = imputed[r];
      const explanation = explanations?.[r];
      if (explanation) {
        view.explanation = explanation;
        view.explanationDigest = sha256Digest(JSON.parse(JSON.stringify(explanation)) as unknown);
      }
      predictions.push(view);
      if (!logged) return;
      const leaf: PredictionLeaf = {
        type: PREDICTION_LEAF,
        id,
        time: now,
        model: { id: version.modelId, versionId: version.versionId, version: version.version, digest: version.modelDigest, alias: version.alias },
        inputDigest: inputDigest(id, input.raw),
        output: { label, score },
        caller: { type: 'user', id: auth.user.id },
        ...(view.explanationDigest ? { explanationDigest: view.explanationDigest } : {}),
      };
      const text = leafText(leaf);
      records.push({
        id,
        modelId: version.modelId,
        modelVersionId: version.versionId,
        modelDigest: version.modelDigest,
        alias: version.alias,
        inputDigest: leaf.inputDigest,
        input: model.rawInputAllowed ? input.raw : null,
        monitoring: monitoringView(model.baseline, monitoringRecord(input.raw), model.schema.groupAttributes),
        label,
        score,
        callerId: auth.user.id,
        createdAt: now,
        leaf: text,
        leafHash: decisionLeafHash(text),
      });
    });
    await this.log.append(records);
    this.metrics.served(version.modelName, rows, logged);
    return {
      model: {
        id: version.modelId,
        name: version.modelName,
        alias: version.alias,
        version: version.version,
        versionId: version.versionId,
        modelDigest: version.modelDigest,
      },
      logged,
      predictedAt: now,
      predictions,
    };
  }

  /** GDPR Art. 22 / Art. 15(1)(h): an explanation with the decision, by the methods the model report uses. */
  private async explain(model: ServingModel, x: Float32Array, rows: number): Promise<PredictionExplanation[]> {
    const background = await model.loaded.trainingRows();
    const width = model.loaded.preprocessor.featureCount;
    const groups = featureGroupsFromPreprocessor(model.loaded.preprocessor.toJSON());
    const explanations: PredictionExplanation[] = [];
    for (let r = 0; r < rows; r++) {
      explanations.push(
        await explainPrediction({
          model: model.loaded.model,
          x: x.slice(r * width, (r + 1) * width),
          groups,
          classNames: model.classes,
          background: { x: background.x, rows: background.rows },
          seed: model.seed,
        }),
      );
    }
    return explanations;
  }

  private parseRequest(body: unknown): PredictRequest {
    const invalid = (path: string, message: string) =>
      new AssayException('PREDICTION_INPUT_INVALID', message, { problems: [{ path, index: null, field: null, code: 'REQUEST_INVALID', message }] });
    if (!isPlainObject(body)) throw invalid('', 'The body must be {input} or {inputs: [...]}, with explain?: boolean');
    for (const key of Object.keys(body))
      if (!['input', 'inputs', 'explain'].includes(key)) throw invalid(`/${key}`, `${key} is not allowed (allowed: input, inputs, explain)`);
    if ((body.input === undefined) === (body.inputs === undefined)) throw invalid('', 'Send exactly one of input (one) or inputs (a batch)');
    const inputs = body.inputs === undefined ? [body.input] : body.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0) throw invalid('/inputs', 'inputs must be a non-empty list');
    if (inputs.length > this.config.ASSAY_SERVING_MAX_BATCH) {
      this.metrics.rejected(inputs.length);
      throw new AssayException('PREDICTION_BATCH_TOO_LARGE', `At most ${this.config.ASSAY_SERVING_MAX_BATCH} inputs per request`, {
        max: this.config.ASSAY_SERVING_MAX_BATCH,
        found: inputs.length,
      });
    }
    if (body.explain !== undefined && typeof body.explain !== 'boolean') throw invalid('/explain', 'explain must be a boolean');
    const explain = body.explain === true;
    if (explain && inputs.length > this.config.ASSAY_SERVING_MAX_EXPLAINED) {
      throw new AssayException('PREDICTION_BATCH_TOO_LARGE', `At most ${this.config.ASSAY_SERVING_MAX_EXPLAINED} inputs per request may be explained`, {
        max: this.config.ASSAY_SERVING_MAX_EXPLAINED,
        found: inputs.length,
      });
    }
    return { inputs, explain };
  }

  /** Ground truth for a logged prediction, once; it becomes a leaf of the next batch and feeds the quality metrics. */
  async recordOutcome(auth: AuthContext, predictionId: string, body: unknown): Promise<{ predictionId: string; label: string; recordedAt: string }> {
    if (!isPlainObject(body) || typeof body.label !== 'string' || Object.keys(body).some((k) => k !== 'label') || body.label.length > 1000) {
      throw new AssayException('VALIDATION_FAILED', 'The body must be {label: string}');
    }
    const label = body.label;
    const prediction = await this.findVisible(auth, predictionId, 'predict');
    const served = await this.served.load({ versionId: prediction.model_version_id, runId: prediction.run_id });
    if (!served.classes.includes(label))
      throw new AssayException('OUTCOME_LABEL_UNKNOWN', `${JSON.stringify(label)} is not a class of the model`, { classes: served.classes });
    const time = new Date().toISOString();
    const text = leafText({ type: 'assay.decision.outcome/v1', predictionId, time, label, recordedBy: { type: 'user', id: auth.user.id } });
    const inserted = await this.db.query<{ prediction_id: string }[]>(
      `INSERT INTO prediction_outcomes (prediction_id, label, recorded_by, created_at, leaf, leaf_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (prediction_id) DO NOTHING RETURNING prediction_id`,
      [predictionId, label, auth.user.id, time, text, decisionLeafHash(text)],
    );
    if (inserted.length === 0) throw new AssayException('OUTCOME_ALREADY_RECORDED', `Prediction ${predictionId} has an outcome already`);
    return { predictionId, label, recordedAt: time };
  }

  /** The logged prediction row, when the caller may see it (owner and admin via predict; officers and regulators read). */
  async findVisible(auth: AuthContext, predictionId: string, action: 'predict' | 'read'): Promise<LoggedPredictionRow> {
    return (await this.findAllVisible(auth, [predictionId], action))[0]!;
  }

  /** Logged predictions in the order asked, in one query; PREDICTION_NOT_FOUND names the first the caller may not see. */
  async findAllVisible(auth: AuthContext, predictionIds: readonly string[], action: 'predict' | 'read'): Promise<LoggedPredictionRow[]> {
    const rows = await this.db.query<LoggedPredictionRow[]>(
      `SELECT p.id, m.owner_id, p.model_version_id, v.run_id, p.leaf, p.batch_id, p.leaf_index, o.label AS outcome
         FROM predictions p JOIN registered_models m ON m.id = p.model_id JOIN model_versions v ON v.id = p.model_version_id
         LEFT JOIN prediction_outcomes o ON o.prediction_id = p.id
        WHERE p.id = ANY($1::uuid[])`,
      [predictionIds],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return predictionIds.map((id) => {
      const row = byId.get(id);
      const subject = row && asSubject('Model', { ownerId: row.owner_id });
      if (!row || !(auth.ability.can(action, subject!) || (action === 'read' && auth.ability.can('predict', subject!)))) {
        throw new AssayException('PREDICTION_NOT_FOUND', `No prediction ${id}`);
      }
      return row;
    });
  }
}

/** Booleans count as their text for monitoring, as they do for categories. */
function monitoringRecord(raw: ParsedInput['raw']): Record<string, string | number | null> {
  return Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, typeof value === 'boolean' ? String(value) : value]));
}
