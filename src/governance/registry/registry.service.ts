import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { accessibleWhere, asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { isUniqueViolation } from '../../platform/database/postgres-errors';
import { updateReturning } from '../../platform/database/update-returning';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { decodeCursor, DEFAULT_PAGE_LIMIT, encodeCursor, type Page } from '../../platform/http/pagination';
import { userActor } from '../../platform/ledger/actor';
import { TrainingRunsService } from '../../pipeline/training/runs/training-runs.service';
import type { CreateModelDto, ModelDeclarationsDto, UpdateModelDto } from './registry.dto';
import {
  toModelView,
  toVersionView,
  type ModelDeclarations,
  type ModelVersionRow,
  type ModelVersionView,
  type RegisteredModelRow,
  type RegisteredModelView,
} from './registry.record';

/**
 * Registered models and their versions. A version is made from a succeeded run of the model's
 * owner, once per run; what a model is for is declared at registration and every change to it is
 * recorded with its before and after.
 */
@Injectable()
export class RegistryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evidence: EvidenceService,
    private readonly runs: TrainingRunsService,
  ) {}

  async create(auth: AuthContext, dto: CreateModelDto): Promise<RegisteredModelView> {
    const declared = {
      name: dto.name,
      description: dto.description ?? '',
      intendedUse: dto.intendedUse,
      prohibitedUses: dto.prohibitedUses ?? [],
      riskTier: dto.riskTier,
      jurisdictions: [...new Set(dto.jurisdictions ?? [])],
      declarations: plainDeclarations(dto.declarations),
    };
    try {
      return await this.db.transaction(async (tx) => {
        const rows = await tx.query<RegisteredModelRow[]>(
          `INSERT INTO registered_models (name, owner_id, description, intended_use, prohibited_uses, risk_tier, jurisdictions, declarations)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
          [
            declared.name,
            auth.user.id,
            declared.description,
            declared.intendedUse,
            JSON.stringify(declared.prohibitedUses),
            declared.riskTier,
            JSON.stringify(declared.jurisdictions),
            JSON.stringify(declared.declarations),
          ],
        );
        const row = rows[0]!;
        await this.evidence.record(tx, {
          kind: 'model.registered',
          subject: { type: 'model', id: row.id },
          actor: userActor(auth.user.id),
          body: { modelId: row.id, ownerId: auth.user.id, ...declared },
        });
        return toModelView(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AssayException('MODEL_NAME_TAKEN', `A model named ${dto.name} exists already`, { name: dto.name });
      throw error;
    }
  }

  async page(auth: AuthContext, query: { cursor?: string; limit?: number }): Promise<Page<RegisteredModelView>> {
    const everything = accessibleWhere(auth.ability, 'read', 'Model').some((branch) => Object.keys(branch).length === 0);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.db.query<RegisteredModelRow[]>(
      `SELECT * FROM registered_models WHERE ($1::uuid IS NULL OR owner_id = $1)
          AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [everything ? null : auth.user.id, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toModelView), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }

  async get(auth: AuthContext, id: string): Promise<RegisteredModelView> {
    return toModelView(await this.findAuthorized(auth, id, 'read'));
  }

  async update(auth: AuthContext, id: string, dto: UpdateModelDto): Promise<RegisteredModelView> {
    return this.db.transaction(async (tx) => {
      const current = await this.findAuthorized(auth, id, 'update', tx, true);
      const before = {
        description: current.description,
        intendedUse: current.intended_use,
        prohibitedUses: current.prohibited_uses,
        riskTier: current.risk_tier,
        jurisdictions: current.jurisdictions,
        declarations: current.declarations,
      };
      const after = {
        description: dto.description ?? before.description,
        intendedUse: dto.intendedUse ?? before.intendedUse,
        prohibitedUses: dto.prohibitedUses ?? before.prohibitedUses,
        riskTier: dto.riskTier ?? before.riskTier,
        jurisdictions: dto.jurisdictions ? [...new Set(dto.jurisdictions)] : before.jurisdictions,
        declarations: dto.declarations ? plainDeclarations(dto.declarations) : before.declarations,
      };
      const rows = await updateReturning<RegisteredModelRow>(
        tx,
        `UPDATE registered_models SET description = $2, intended_use = $3, prohibited_uses = $4, risk_tier = $5, jurisdictions = $6, declarations = $7, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          id,
          after.description,
          after.intendedUse,
          JSON.stringify(after.prohibitedUses),
          after.riskTier,
          JSON.stringify(after.jurisdictions),
          JSON.stringify(after.declarations),
        ],
      );
      const row = rows[0]!;
      const changed = (Object.keys(after) as (keyof typeof after)[]).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
      if (changed.length > 0) {
        await this.evidence.record(tx, {
          kind: 'model.updated',
          subject: { type: 'model', id },
          actor: userActor(auth.user.id),
          subjectOwnerId: current.owner_id,
          body: { modelId: id, before: pick(before, changed), after: pick(after, changed) },
        });
      }
      return toModelView(row);
    });
  }

  /** Makes a succeeded run of the model's owner its next version (once per run). */
  async createVersion(auth: AuthContext, modelId: string, runId: string): Promise<ModelVersionView> {
    const run = await this.runs.findReadable(auth, runId);
    try {
      return await this.db.transaction(async (tx) => {
        const model = await this.findAuthorized(auth, modelId, 'update', tx, true);
        if (run.owner_id !== model.owner_id) throw new AssayException('ACCESS_DENIED', "Only the model owner's runs can become its versions");
        if (run.state !== 'succeeded' || !run.result) throw new AssayException('RUN_NOT_SUCCEEDED', `Run ${runId} has no model (it is ${run.state})`);
        const existing = await tx.query<{ model_id: string; version: number }[]>(`SELECT model_id, version FROM model_versions WHERE run_id = $1`, [runId]);
        if (existing[0])
          throw new AssayException('RUN_ALREADY_REGISTERED', `Run ${runId} is version ${existing[0].version} already`, {
            modelId: existing[0].model_id,
            version: existing[0].version,
          });
        const next = await tx.query<{ next: number }[]>(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE model_id = $1`, [modelId]);
        const { result } = run;
        const rows = await tx.query<ModelVersionRow[]>(
          `INSERT INTO model_versions (model_id, version, run_id, model_digest, artifacts, signature_digest, training_evidence, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
          [modelId, next[0]!.next, runId, result.modelDigest, JSON.stringify(result.artifacts), result.signatureDigest, result.trainingEvidence, auth.user.id],
        );
        const version = rows[0]!;
        await this.evidence.record(tx, {
          kind: 'model_version.registered',
          subject: { type: 'model_version', id: version.id },
          actor: userActor(auth.user.id),
          body: {
            modelId,
            modelVersionId: version.id,
            version: version.version,
            runId,
            modelDigest: result.modelDigest,
            artifacts: result.artifacts,
            signatureDigest: result.signatureDigest,
            trainingEvidence: result.trainingEvidence,
          },
        });
        return toVersionView(version);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AssayException('RUN_ALREADY_REGISTERED', `Run ${runId} is a model version already`);
      throw error;
    }
  }

  async versions(auth: AuthContext, modelId: string): Promise<ModelVersionView[]> {
    await this.findAuthorized(auth, modelId, 'read');
    const rows = await this.db.query<ModelVersionRow[]>(`SELECT * FROM model_versions WHERE model_id = $1 ORDER BY version`, [modelId]);
    return rows.map(toVersionView);
  }

  async version(auth: AuthContext, modelId: string, version: number): Promise<{ model: RegisteredModelRow; version: ModelVersionRow }> {
    const model = await this.findAuthorized(auth, modelId, 'read');
    const rows = await this.db.query<ModelVersionRow[]>(`SELECT * FROM model_versions WHERE model_id = $1 AND version = $2`, [modelId, version]);
    if (!rows[0]) throw new AssayException('MODEL_VERSION_NOT_FOUND', `Model ${modelId} has no version ${version}`);
    return { model, version: rows[0] };
  }

  private async findAuthorized(
    auth: AuthContext,
    id: string,
    action: 'read' | 'update',
    tx: EntityManager = this.db.manager,
    lock = false,
  ): Promise<RegisteredModelRow> {
    const rows = await tx.query<RegisteredModelRow[]>(`SELECT * FROM registered_models WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    const model = rows[0];
    if (!model || !auth.ability.can('read', asSubject('Model', { ownerId: model.owner_id }))) throw new AssayException('MODEL_NOT_FOUND', `No model ${id}`);
    if (!auth.ability.can(action, asSubject('Model', { ownerId: model.owner_id })))
      throw new AssayException('ACCESS_DENIED', `You may not ${action} this model`);
    return model;
  }
}

/** The DTO as plain JSON (class instances and absent fields dropped): it is stored and hashed as evidence. */
function plainDeclarations(dto: ModelDeclarationsDto | undefined): ModelDeclarations {
  return dto ? (JSON.parse(JSON.stringify(dto)) as ModelDeclarations) : {};
}

function pick<T extends object>(value: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Partial<T>;
}
