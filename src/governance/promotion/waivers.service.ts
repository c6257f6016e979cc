import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { updateReturning } from '../../platform/database/update-returning';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import type { Waiver } from '../policy';
import { PolicyPacksService } from '../policy-packs/policy-packs.service';
import { RegistryService } from '../registry/registry.service';

export interface WaiverRow {
  id: string;
  model_version_id: string;
  pack_id: string;
  rule_id: string;
  justification: string;
  expires_at: Date;
  granted_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  created_at: Date;
}

export interface WaiverView {
  id: string;
  modelVersionId: string;
  packId: string;
  ruleId: string;
  justification: string;
  expiresAt: string;
  grantedBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revocationReason: string | null;
  createdAt: string;
  /** Counts now: not revoked and not expired. */
  active: boolean;
}

const MAX_WAIVER_DAYS = 366;

const toView = (row: WaiverRow, now = Date.now()): WaiverView => ({
  id: row.id,
  modelVersionId: row.model_version_id,
  packId: row.pack_id,
  ruleId: row.rule_id,
  justification: row.justification,
  expiresAt: row.expires_at.toISOString(),
  grantedBy: row.granted_by,
  revokedAt: row.revoked_at?.toISOString() ?? null,
  revokedBy: row.revoked_by,
  revocationReason: row.revocation_reason,
  createdAt: row.created_at.toISOString(),
  active: row.revoked_at === null && row.expires_at.getTime() > now,
});

/**
 * Waivers: a compliance officer sets aside one waivable rule for one model version, with a
 * justification and an expiry; revoking is recorded too. Non-waivable rules cannot be waived.
 */
@Injectable()
export class WaiversService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: RegistryService,
    private readonly packs: PolicyPacksService,
    private readonly evidence: EvidenceService,
  ) {}

  async grant(
    auth: AuthContext,
    input: { modelId: string; version: number; packId: string; ruleId: string; justification: string; expiresAt: string },
  ): Promise<WaiverView> {
    const { version } = await this.registry.version(auth, input.modelId, input.version);
    const rule = this.packs.packs.find((pack) => pack.id === input.packId)?.rules.find((candidate) => candidate.id === input.ruleId);
    if (!rule)
      throw new AssayException('WAIVER_NOT_ALLOWED', `No rule ${input.ruleId} in pack ${input.packId}`, { packId: input.packId, ruleId: input.ruleId });
    if (!rule.waivable)
      throw new AssayException('WAIVER_NOT_ALLOWED', `Rule ${input.packId}/${input.ruleId} is not waivable`, { packId: input.packId, ruleId: input.ruleId });
    const expires = Date.parse(input.expiresAt);
    if (!(expires > Date.now()) || expires > Date.now() + MAX_WAIVER_DAYS * 86_400_000) {
      throw new AssayException('VALIDATION_FAILED', `expiresAt must be in the future and within ${MAX_WAIVER_DAYS} days`, { field: 'expiresAt' });
    }
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<WaiverRow[]>(
        `INSERT INTO waivers (model_version_id, pack_id, rule_id, justification, expires_at, granted_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [version.id, input.packId, input.ruleId, input.justification, new Date(expires), auth.user.id],
      );
      const row = rows[0]!;
      await this.evidence.record(tx, {
        kind: 'waiver.granted',
        subject: { type: 'model_version', id: version.id },
        actor: userActor(auth.user.id),
        body: {
          waiverId: row.id,
          modelVersionId: version.id,
          packId: row.pack_id,
          ruleId: row.rule_id,
          justification: row.justification,
          expiresAt: row.expires_at.toISOString(),
        },
      });
      return toView(row);
    });
  }

  async list(auth: AuthContext, filter: { modelId?: string; version?: number }): Promise<WaiverView[]> {
    let versionId: string | null = null;
    if (filter.modelId) {
      const found = filter.version === undefined ? undefined : await this.registry.version(auth, filter.modelId, filter.version);
      if (!found) await this.registry.get(auth, filter.modelId);
      versionId = found?.version.id ?? null;
      const rows = await this.db.query<WaiverRow[]>(
        `SELECT w.* FROM waivers w JOIN model_versions v ON v.id = w.model_version_id WHERE v.model_id = $1 AND ($2::uuid IS NULL OR w.model_version_id = $2) ORDER BY w.created_at, w.id`,
        [filter.modelId, versionId],
      );
      return rows.map((row) => toView(row));
    }
    const rows = await this.db.query<WaiverRow[]>(`SELECT * FROM waivers ORDER BY created_at, id LIMIT 500`);
    return rows.map((row) => toView(row));
  }

  async revoke(auth: AuthContext, id: string, reason: string): Promise<WaiverView> {
    return this.db.transaction(async (tx) => {
      const rows = await updateReturning<WaiverRow>(
        tx,
        `UPDATE waivers SET revoked_at = now(), revoked_by = $2, revocation_reason = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
        [id, auth.user.id, reason],
      );
      const row = rows[0];
      if (!row) {
        const exists = await tx.query<{ id: string }[]>(`SELECT id FROM waivers WHERE id = $1`, [id]);
        if (!exists[0]) throw new AssayException('WAIVER_NOT_FOUND', `No waiver ${id}`);
        throw new AssayException('WAIVER_NOT_FOUND', `Waiver ${id} is revoked already`);
      }
      await this.evidence.record(tx, {
        kind: 'waiver.revoked',
        subject: { type: 'model_version', id: row.model_version_id },
        actor: userActor(auth.user.id),
        body: { waiverId: id, reason },
      });
      return toView(row);
    });
  }

  /** Unrevoked waivers of a version, as the policy evaluator takes them (it drops the expired ones itself and says so). */
  async forVersion(versionId: string, tx: Pick<EntityManager, 'query'> = this.db): Promise<Waiver[]> {
    const rows = await tx.query<WaiverRow[]>(`SELECT * FROM waivers WHERE model_version_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`, [versionId]);
    return rows.map((row) => ({
      id: row.id,
      packId: row.pack_id,
      ruleId: row.rule_id,
      expiresAt: row.expires_at.toISOString(),
      justification: row.justification,
      grantedBy: row.granted_by,
    }));
  }
}
