import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { AssayException } from '../../platform/errors/assay.exception';
import { STAGES } from '../../governance/promotion/promotion.record';
import { DatasetVersion } from '../../pipeline/datasets/dataset-version.entity';
import { DatasheetsService } from '../../pipeline/datasets/datasheets.service';
import { readTableArtifact } from '../../pipeline/datasets/table-artifact';
import { probabilityPredictor, scorePredictor } from '../../pipeline/explainability';
import { TrainedModelCache, type LoadedModel } from '../../pipeline/training/runs/trained-model.cache';
import { TrainingRunStore } from '../../pipeline/training/runs/training-run.store';
import { buildMonitoringBaseline, type MonitoringBaseline } from '../monitoring/drift';
import { compileInputSchema, type InputSchema } from './prediction-input';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CAPACITY = 8;

/** What a predict request names: a model (by name or id) and an alias, or an explicit version. */
export type ServingTarget = { model: string; alias: string } | { model: string; version: number };

/** The version a request resolves to, read afresh for every request (so a moved or removed alias counts at once). */
export interface ResolvedVersion {
  modelId: string;
  modelName: string;
  ownerId: string;
  versionId: string;
  version: number;
  modelDigest: string;
  runId: string;
  /** The alias the request named; null for a request by version. */
  alias: string | null;
  /** The monitoring plan's switch (on without a plan): read with the alias, the only part of the plan serving needs. */
  decisionLogging: boolean;
}

/** A served version, loaded once: the model, its stored preprocessing, and the training profile monitoring compares with. */
export interface ServingModel {
  versionId: string;
  modelDigest: string;
  loaded: LoadedModel;
  schema: InputSchema;
  classes: string[];
  binary: boolean;
  baseline: MonitoringBaseline;
  /** The training datasheet declares that the data holds no personal data: raw inputs may be stored with the decision. */
  rawInputAllowed: boolean;
  seed: number;
  /** P(class) per row (`rows × classes`), and the score the response reports (binary: P(positive); multiclass: P(predicted class)). */
  predict(x: Float32Array, rows: number): Promise<{ labels: string[]; scores: number[]; probabilities: Float32Array | null }>;
}

interface ResolvedRow {
  model_id: string;
  name: string;
  owner_id: string;
  version_id: string | null;
  version: number | null;
  model_digest: string | null;
  run_id: string | null;
  alias: string | null;
  decision_logging: boolean | null;
}

/**
 * Which version a predict request reaches, and the loaded versions (least recently used out).
 * Only a version an alias points to is served: aliases move only by an approved promotion (or a
 * compliance officer's rollback to a version that held them), so "holds an alias" is "passed the
 * gate and was not stopped". The alias is read from the database on every request — one indexed
 * query — so a demotion stops serving at once in every process, and a moved alias serves the new
 * version from the next request on.
 */
@Injectable()
export class ServedModels {
  private readonly entries = new Map<string, Promise<ServingModel>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runs: TrainingRunStore,
    private readonly models: TrainedModelCache,
    private readonly artifacts: ArtifactStore,
    private readonly datasheets: DatasheetsService,
  ) {}

  async resolve(auth: AuthContext, target: ServingTarget, action: 'predict' | 'read' = 'predict'): Promise<ResolvedVersion> {
    if ('alias' in target && !(STAGES as readonly string[]).includes(target.alias))
      throw new AssayException('VALIDATION_FAILED', `alias must be one of ${STAGES.join(', ')}`, { alias: target.alias.slice(0, 100) });
    const byId = UUID.test(target.model) ? target.model : null;
    const byAlias = 'alias' in target;
    const rows = await this.db.query<ResolvedRow[]>(
      `SELECT m.id AS model_id, m.name, m.owner_id, v.id AS version_id, v.version, v.model_digest, v.run_id, (p.plan->>'decisionLogging')::boolean AS decision_logging,
              ${byAlias ? 'a.alias' : '(SELECT min(x.alias) FROM model_aliases x WHERE x.model_version_id = v.id) AS alias'}
         FROM registered_models m
         ${
           byAlias
             ? 'LEFT JOIN model_aliases a ON a.model_id = m.id AND a.alias = $3 LEFT JOIN model_versions v ON v.id = a.model_version_id'
             : 'LEFT JOIN model_versions v ON v.model_id = m.id AND v.version = $3'
         }
         LEFT JOIN monitoring_plans p ON p.model_id = m.id
        WHERE ($1::uuid IS NOT NULL AND m.id = $1::uuid) OR ($1::uuid IS NULL AND lower(m.name) = lower($2))`,
      [byId, target.model, byAlias ? target.alias : target.version],
    );
    const row = rows[0];
    if (!row || !auth.ability.can('read', asSubject('Model', { ownerId: row.owner_id })))
      throw new AssayException('MODEL_NOT_FOUND', `No model ${target.model}`);
    if (action === 'predict' && !auth.ability.can('predict', asSubject('Model', { ownerId: row.owner_id })))
      throw new AssayException('ACCESS_DENIED', 'Only the model’s owner (or an admin) calls its predictions');
    if (row.version_id === null) {
      if (byAlias)
        throw new AssayException('ALIAS_NOT_SERVING', `${row.name}: ${target.alias} points to no version (never promoted, or demoted)`, {
          alias: target.alias,
        });
      throw new AssayException('MODEL_VERSION_NOT_FOUND', `${row.name} has no version ${target.version}`);
    }
    if (!byAlias && row.alias === null) {
      throw new AssayException('MODEL_VERSION_NOT_SERVING', `${row.name} version ${row.version} holds no alias: it is not served`, { version: row.version });
    }
    return {
      modelId: row.model_id,
      modelName: row.name,
      ownerId: row.owner_id,
      versionId: row.version_id,
      version: row.version!,
      modelDigest: row.model_digest!,
      runId: row.run_id!,
      alias: byAlias ? target.alias : null,
      decisionLogging: row.decision_logging ?? true,
    };
  }

  load(version: Pick<ResolvedVersion, 'versionId' | 'runId'>): Promise<ServingModel> {
    let entry = this.entries.get(version.versionId);
    if (entry) {
      this.entries.delete(version.versionId);
      this.entries.set(version.versionId, entry);
      return entry;
    }
    entry = this.open(version);
    entry.catch(() => this.entries.delete(version.versionId));
    this.entries.set(version.versionId, entry);
    while (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }

  private async open(version: Pick<ResolvedVersion, 'versionId' | 'runId'>): Promise<ServingModel> {
    const run = await this.runs.find(version.runId);
    if (!run?.result) throw new Error(`The run ${version.runId} of version ${version.versionId} has no model`);
    const loaded = await this.models.get(run.result, run.inputs);
    const state = loaded.preprocessor.state;
    const classes = loaded.preprocessor.outputClasses;
    const binary = state.label.kind === 'binary';
    const scorer = binary ? scorePredictor(loaded.model) : probabilityPredictor(loaded.model);
    const predict: ServingModel['predict'] = async (x, rows) => {
      const out = await scorer(x, rows);
      if (binary) {
        const scores = Array.from(out);
        return { labels: scores.map((p) => classes[p >= 0.5 ? 1 : 0]!), scores, probabilities: null };
      }
      const labels: string[] = [];
      const scores: number[] = [];
      for (let r = 0; r < rows; r++) {
        let best = 0;
        for (let c = 1; c < classes.length; c++) if (out[r * classes.length + c]! > out[r * classes.length + best]!) best = c;
        labels.push(classes[best]!);
        scores.push(out[r * classes.length + best]!);
      }
      return { labels, scores, probabilities: out };
    };
    const sheet = await this.datasheet(run.inputs.sourceVersionId);
    const sensitive = sheet?.composition?.sensitiveAttributes ?? [];
    const split = (role: string) => run.inputs.splits.find((s) => s.role === role);
    const training = await readTableArtifact(this.artifacts, split('train')!.tableDigest);
    const trainingPredictions = (await predict((await loaded.trainingRows()).x, training.rows.length)).labels;
    const testSplit = split('test');
    let test: Parameters<typeof buildMonitoringBaseline>[0]['test'];
    if (testSplit) {
      const table = await readTableArtifact(this.artifacts, testSplit.tableDigest);
      const encoded = loaded.preprocessor.transform(table);
      test = { table, predictions: (await predict(encoded.x, encoded.rows)).labels, labelColumn: state.label.column };
    }
    const groupAttributes = sensitive.filter((name) => name !== state.label.column && training.columns.includes(name));
    return {
      versionId: version.versionId,
      modelDigest: run.result.modelDigest,
      loaded,
      schema: compileInputSchema(state.features, groupAttributes),
      classes,
      binary,
      baseline: buildMonitoringBaseline({ training, features: state.features, classes, trainingPredictions, groupAttributes, ...(test ? { test } : {}) }),
      rawInputAllowed: sheet?.composition?.personalData?.present === false,
      seed: run.spec.model.training.seed ?? 0,
      predict,
    };
  }

  private async datasheet(versionId: string): Promise<{ composition?: { sensitiveAttributes?: string[]; personalData?: { present?: boolean } } } | null> {
    const version = await this.db.getRepository(DatasetVersion).findOneBy({ id: versionId });
    return version ? await this.datasheets.latest(version) : null;
  }
}
