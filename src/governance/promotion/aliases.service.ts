import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { RegistryService } from '../registry/registry.service';
import type { Stage } from './promotion.record';

export interface AliasView {
  alias: Stage;
  modelVersionId: string;
  version: number;
  modelDigest: string;
  promotionId: string | null;
  updatedAt: string;
}

export interface AliasMoveView {
  alias: Stage;
  kind: 'promotion' | 'demotion' | 'rollback';
  fromVersion: number | null;
  toVersion: number | null;
  promotionId: string | null;
  reason: string | null;
  movedBy: string;
  evidenceDigest: string;
  at: string;
}

interface MoveInput {
  modelId: string;
  alias: Stage;
  toVersionId: string | null;
  kind: AliasMoveView['kind'];
  promotionId?: string;
  reason?: string;
  by: string;
}

/**
 * The `staging` and `production` aliases of a model and the history of every move. Only an
 * approved promotion moves an alias forward; a compliance officer may demote or roll back at once
 * (EU AI Act Art. 14: the human stop), with a reason. Every move is evidence, in the same
 * transaction as the move.
 */
@Injectable()
export class AliasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: RegistryService,
    private readonly evidence: EvidenceService,
  ) {}

  async current(auth: AuthContext, modelId: string): Promise<AliasView[]> {
    await this.registry.get(auth, modelId);
    const rows = await this.db.query<
      { alias: Stage; model_version_id: string; version: number; model_digest: string; promotion_id: string | null; updated_at: Date }[]
    >(
      `SELECT a.alias, a.model_version_id, v.version, v.model_digest, a.promotion_id, a.updated_at
         FROM model_aliases a JOIN model_versions v ON v.id = a.model_version_id WHERE a.model_id = $1 ORDER BY a.alias`,
      [modelId],
    );
    return rows.map((r) => ({
      alias: r.alias,
      modelVersionId: r.model_version_id,
      version: r.version,
      modelDigest: r.model_digest,
      promotionId: r.promotion_id,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async history(auth: AuthContext, modelId: string): Promise<AliasMoveView[]> {
    await this.registry.get(auth, modelId);
    const rows = await this.db.query<
      {
        alias: Stage;
        kind: AliasMoveView['kind'];
        from_version: number | null;
        to_version: number | null;
        promotion_id: string | null;
        reason: string | null;
        moved_by: string;
        evidence_digest: string;
        created_at: Date;
      }[]
    >(
      `SELECT m.alias, m.kind, f.version AS from_version, t.version AS to_version, m.promotion_id, m.reason, m.moved_by, m.evidence_digest, m.created_at
         FROM alias_moves m LEFT JOIN model_versions f ON f.id = m.from_version_id LEFT JOIN model_versions t ON t.id = m.to_version_id
        WHERE m.model_id = $1 ORDER BY m.id`,
      [modelId],
    );
    return rows.map((r) => ({
      alias: r.alias,
      kind: r.kind,
      fromVersion: r.from_version,
      toVersion: r.to_version,
      promotionId: r.promotion_id,
      reason: r.reason,
      movedBy: r.moved_by,
      evidenceDigest: r.evidence_digest,
      at: r.created_at.toISOString(),
    }));
  }

  /** The Art. 14 stop: removes the alias, or rolls it back to a version that held it before. */
  async demote(auth: AuthContext, modelId: string, alias: Stage, input: { reason: string; toVersion?: number }): Promise<AliasMoveView[]> {
    const model = await this.registry.get(auth, modelId);
    if (!auth.ability.can('demote', asSubject('Model', { ownerId: model.ownerId })))
      throw new AssayException('ACCESS_DENIED', 'Only a compliance officer demotes or rolls back');
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT id FROM registered_models WHERE id = $1 FOR UPDATE`, [modelId]);
      const current = await tx.query<{ model_version_id: string }[]>(`SELECT model_version_id FROM model_aliases WHERE model_id = $1 AND alias = $2`, [
        modelId,
        alias,
      ]);
      if (!current[0]) throw new AssayException('ALIAS_NOT_SET', `${alias} points to no version of this model`);
      if (input.toVersion === undefined) {
        await this.move(tx, { modelId, alias, toVersionId: null, kind: 'demotion', reason: input.reason, by: auth.user.id });
        return;
      }
      const target = await tx.query<{ id: string }[]>(
        `SELECT v.id FROM model_versions v WHERE v.model_id = $1 AND v.version = $2
            AND EXISTS (SELECT 1 FROM alias_moves m WHERE m.model_id = $1 AND m.alias = $3 AND m.to_version_id = v.id)`,
        [modelId, input.toVersion, alias],
      );
      if (!target[0] || target[0].id === current[0].model_version_id) {
        throw new AssayException('ROLLBACK_TARGET_INVALID', `Version ${input.toVersion} never held ${alias} before (or holds it now)`, {
          toVersion: input.toVersion,
        });
      }
      await this.move(tx, { modelId, alias, toVersionId: target[0].id, kind: 'rollback', reason: input.reason, by: auth.user.id });
    });
    return this.history(auth, modelId);
  }

  /** Moves an alias in the caller's transaction, with its history row and `alias.moved` evidence. */
  async move(tx: EntityManager, input: MoveInput): Promise<void> {
    const before = await tx.query<{ model_version_id: string }[]>(`SELECT model_version_id FROM model_aliases WHERE model_id = $1 AND alias = $2 FOR UPDATE`, [
      input.modelId,
      input.alias,
    ]);
    const from = before[0]?.model_version_id ?? null;
    if (input.toVersionId === null) await tx.query(`DELETE FROM model_aliases WHERE model_id = $1 AND alias = $2`, [input.modelId, input.alias]);
    else {
      await tx.query(
        `INSERT INTO model_aliases (model_id, alias, model_version_id, promotion_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model_id, alias) DO UPDATE SET model_version_id = EXCLUDED.model_version_id, promotion_id = EXCLUDED.promotion_id, updated_at = now()`,
        [input.modelId, input.alias, input.toVersionId, input.promotionId ?? null],
      );
    }
    const owner = await tx.query<{ owner_id: string }[]>(`SELECT owner_id FROM registered_models WHERE id = $1`, [input.modelId]);
    const record = await this.evidence.record(tx, {
      kind: 'alias.moved',
      subject: { type: 'model', id: input.modelId },
      actor: userActor(input.by),
      subjectOwnerId: owner[0]!.owner_id,
      body: {
        modelId: input.modelId,
        alias: input.alias,
        fromVersionId: from,
        toVersionId: input.toVersionId,
        kind: input.kind,
        ...(input.promotionId ? { promotionId: input.promotionId } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    await tx.query(
      `INSERT INTO alias_moves (model_id, alias, from_version_id, to_version_id, kind, promotion_id, reason, moved_by, evidence_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [input.modelId, input.alias, from, input.toVersionId, input.kind, input.promotionId ?? null, input.reason ?? null, input.by, record.digest],
    );
  }
}
