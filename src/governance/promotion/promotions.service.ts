import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { accessibleWhere, asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { isUniqueViolation } from '../../platform/database/postgres-errors';
import { updateReturning } from '../../platform/database/update-returning';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { decodeCursor, DEFAULT_PAGE_LIMIT, encodeCursor, type Page } from '../../platform/http/pagination';
import { userActor } from '../../platform/ledger/actor';
import { annotateActiveSpan, ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { evidenceDocumentDigest, type EvidenceDocument } from '../evidence-document';
import { decisionDigest, evaluatePolicies, type PolicyDecision } from '../policy';
import { PolicyPacksService } from '../policy-packs/policy-packs.service';
import { RegistryService } from '../registry/registry.service';
import { AliasesService } from './aliases.service';
import { EvidenceDocumentBuilder } from './evidence-document.builder';
import { toPromotionView, type PromotionRow, type PromotionState, type PromotionView, type Stage } from './promotion.record';
import { WaiversService } from './waivers.service';

export interface PromotionPreview {
  evidenceDocumentDigest: string;
  evidenceDocument: EvidenceDocument;
  decision: PolicyDecision;
}

/** What a policy span says about a decision: its outcome and how many rules of how many packs gave it. */
const decisionAttributes = (decision: PolicyDecision) => ({
  [ATTR.policyOutcome]: decision.outcome,
  'assay.policy.packs': decision.packs.length,
  'assay.policy.rules': decision.rules.length,
  'assay.policy.blocked_by': decision.blockedBy.length,
  'assay.policy.decision_digest': decisionDigest(decision),
});

const SELECT_WITH_VERSION = `SELECT p.*, v.version FROM promotion_requests p JOIN model_versions v ON v.id = p.model_version_id`;

/**
 * The promotion gate. A request assembles the version's evidence document, evaluates every
 * applicable policy rule on it and stores the decision: blocked at once when a non-waived
 * `block` rule fails, otherwise pending a compliance officer — never the requester, never an
 * admin — whose approval moves the alias in the same transaction as its evidence. Approval
 * re-evaluates the rules with the waivers in force then, so an expired waiver cannot slip through.
 */
@Injectable()
export class PromotionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: RegistryService,
    private readonly packs: PolicyPacksService,
    private readonly documents: EvidenceDocumentBuilder,
    private readonly waivers: WaiversService,
    private readonly aliases: AliasesService,
    private readonly evidence: EvidenceService,
  ) {}

  /** Evaluates without requesting (what would happen now). */
  async preview(auth: AuthContext, modelId: string, version: number, targetStage: Stage): Promise<PromotionPreview> {
    const { model, version: row } = await this.registry.version(auth, modelId, version);
    this.assertMayRequest(auth, model.owner_id);
    const attributes = { [ATTR.modelId]: model.id, [ATTR.modelVersionId]: row.id, [ATTR.modelVersion]: row.version, [ATTR.targetStage]: targetStage };
    // The `assay.policy` span: the evidence document assembled, then every applicable rule evaluated on it.
    return withSpan('assay.policy', attributes, async (span) => {
      const now = new Date();
      const document = await this.documents.build({
        model,
        version: row,
        stage: targetStage,
        requestedBy: { id: auth.user.id, role: auth.user.role },
        at: now,
      });
      const decision = evaluatePolicies(this.packs.packs, document, { stage: targetStage, now, waivers: await this.waivers.forVersion(row.id) });
      const documentDigest = evidenceDocumentDigest(document);
      span.setAttributes({ ...decisionAttributes(decision), 'assay.evidence_document.digest': documentDigest });
      return { evidenceDocumentDigest: documentDigest, evidenceDocument: document, decision };
    });
  }

  async request(auth: AuthContext, modelId: string, version: number, targetStage: Stage): Promise<PromotionView> {
    const { model, version: row } = await this.registry.version(auth, modelId, version);
    const { evidenceDocument, evidenceDocumentDigest: documentDigest, decision } = await this.preview(auth, modelId, version, targetStage);
    const state: PromotionState = decision.outcome === 'blocked' ? 'blocked' : 'pending_approval';
    const digest = decisionDigest(decision);
    try {
      return await this.db.transaction(async (tx) => {
        const rows = await tx.query<PromotionRow[]>(
          `INSERT INTO promotion_requests (model_id, model_version_id, target_stage, state, requested_by, evidence_document, evidence_document_digest, decision, decision_digest)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [model.id, row.id, targetStage, state, auth.user.id, JSON.stringify(evidenceDocument), documentDigest, JSON.stringify(decision), digest],
        );
        const promotion = rows[0]!;
        annotateActiveSpan({ [ATTR.promotionId]: promotion.id });
        const subject = { type: 'promotion', id: promotion.id };
        await this.evidence.record(tx, {
          kind: 'policy.evaluated',
          subject,
          actor: userActor(auth.user.id),
          subjectOwnerId: model.owner_id,
          body: JSON.parse(
            JSON.stringify({
              promotionId: promotion.id,
              modelVersionId: row.id,
              targetStage,
              evidenceDocumentDigest: documentDigest,
              decisionDigest: digest,
              decision,
            }),
          ) as Record<string, unknown>,
        });
        await this.evidence.record(tx, {
          kind: 'promotion.requested',
          subject,
          actor: userActor(auth.user.id),
          subjectOwnerId: model.owner_id,
          body: {
            promotionId: promotion.id,
            modelId: model.id,
            modelVersionId: row.id,
            version: row.version,
            targetStage,
            state,
            decisionDigest: digest,
            ...(state === 'blocked' ? { blockedBy: decision.blockedBy.map((ref) => ({ ...ref })) } : {}),
          },
        });
        return toPromotionView({ ...promotion, version: row.version });
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AssayException('PROMOTION_ALREADY_PENDING', `Version ${version} already has a pending request for ${targetStage}`);
      throw error;
    }
  }

  async get(auth: AuthContext, id: string): Promise<PromotionView> {
    const rows = await this.db.query<(PromotionRow & { version: number })[]>(`${SELECT_WITH_VERSION} WHERE p.id = $1`, [id]);
    const row = rows[0];
    if (!row || !auth.ability.can('read', asSubject('Promotion', { requestedBy: row.requested_by })))
      throw new AssayException('PROMOTION_NOT_FOUND', `No promotion request ${id}`);
    return toPromotionView(row);
  }

  async evidenceDocument(auth: AuthContext, id: string): Promise<Record<string, unknown>> {
    await this.get(auth, id);
    const rows = await this.db.query<{ evidence_document: Record<string, unknown> }[]>(`SELECT evidence_document FROM promotion_requests WHERE id = $1`, [id]);
    return rows[0]!.evidence_document;
  }

  async page(auth: AuthContext, query: { state?: PromotionState; cursor?: string; limit?: number }): Promise<Page<PromotionView>> {
    const everything = accessibleWhere(auth.ability, 'read', 'Promotion').some((branch) => Object.keys(branch).length === 0);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.db.query<(PromotionRow & { version: number })[]>(
      `${SELECT_WITH_VERSION} WHERE ($1::uuid IS NULL OR p.requested_by = $1) AND ($2::text IS NULL OR p.state = $2)
          AND ($3::timestamptz IS NULL OR (p.created_at, p.id) > ($3::timestamptz, $4::uuid))
        ORDER BY p.created_at, p.id LIMIT $5`,
      [everything ? null : auth.user.id, query.state ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toPromotionView), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }

  /**
   * Approve or reject, once: the row lock makes concurrent decisions on one request wait, and only the first finds it pending.
   * Traced as `assay.approval`, with the re-evaluation's `assay.policy` inside when approving.
   */
  decide(auth: AuthContext, id: string, decision: 'approved' | 'rejected', rationale: string): Promise<PromotionView> {
    return withSpan('assay.approval', { [ATTR.promotionId]: id, [ATTR.decision]: decision }, () => this.decideOnce(auth, id, decision, rationale));
  }

  private async decideOnce(auth: AuthContext, id: string, decision: 'approved' | 'rejected', rationale: string): Promise<PromotionView> {
    const visible = await this.get(auth, id);
    if (visible.requestedBy === auth.user.id)
      throw new AssayException('PROMOTION_SELF_APPROVAL', 'You requested this promotion: another compliance officer decides it');
    if (!auth.ability.can('approve', asSubject('Promotion', { requestedBy: visible.requestedBy })))
      throw new AssayException('ACCESS_DENIED', 'Only a compliance officer approves or rejects');
    const updated = await this.db.transaction(async (tx) => {
      const locked = (await tx.query<PromotionRow[]>(`SELECT * FROM promotion_requests WHERE id = $1 FOR UPDATE`, [id]))[0]!;
      if (locked.state !== 'pending_approval')
        throw new AssayException('PROMOTION_NOT_PENDING', `The request is ${locked.state} already`, { state: locked.state });
      let reevaluation: PolicyDecision | undefined;
      const attributes = { [ATTR.modelId]: locked.model_id, [ATTR.modelVersionId]: locked.model_version_id, [ATTR.targetStage]: locked.target_stage };
      annotateActiveSpan(attributes);
      if (decision === 'approved') {
        reevaluation = await withSpan('assay.policy', { ...attributes, 'assay.policy.reevaluation': true }, async (span) => {
          const waivers = await this.waivers.forVersion(locked.model_version_id, tx);
          const result = evaluatePolicies(this.packs.packs, locked.evidence_document, { stage: locked.target_stage, now: new Date(), waivers });
          span.setAttributes(decisionAttributes(result));
          return result;
        });
        if (reevaluation.outcome === 'blocked') {
          throw new AssayException('PROMOTION_NO_LONGER_PASSES', 'Re-evaluated now, the policy decision blocks', { blockedBy: reevaluation.blockedBy });
        }
      }
      const rows = await updateReturning<PromotionRow>(
        tx,
        `UPDATE promotion_requests SET state = $2, decided_by = $3, rationale = $4, decided_at = now() WHERE id = $1 RETURNING *`,
        [id, decision, auth.user.id, rationale],
      );
      const owner = (await tx.query<{ owner_id: string }[]>(`SELECT owner_id FROM registered_models WHERE id = $1`, [locked.model_id]))[0]!.owner_id;
      await this.evidence.record(tx, {
        kind: 'promotion.decided',
        subject: { type: 'promotion', id },
        actor: userActor(auth.user.id),
        subjectOwnerId: owner,
        body: JSON.parse(
          JSON.stringify({
            promotionId: id,
            decision,
            rationale,
            requestedBy: locked.requested_by,
            decidedBy: auth.user.id,
            ...(reevaluation
              ? { reevaluation: { decisionDigest: decisionDigest(reevaluation), outcome: reevaluation.outcome, evaluatedAt: reevaluation.evaluatedAt, decision: reevaluation } }
              : {}),
          }),
        ) as Record<string, unknown>,
      });
      if (decision === 'approved') {
        await this.aliases.move(tx, {
          modelId: locked.model_id,
          alias: locked.target_stage,
          toVersionId: locked.model_version_id,
          kind: 'promotion',
          promotionId: id,
          by: auth.user.id,
        });
      }
      return rows[0]!;
    });
    return toPromotionView({ ...updated, version: visible.version });
  }

  private assertMayRequest(auth: AuthContext, ownerId: string): void {
    if (!auth.ability.can('create', asSubject('Promotion', { requestedBy: auth.user.id })) || !auth.ability.can('update', asSubject('Model', { ownerId }))) {
      throw new AssayException('ACCESS_DENIED', 'Only the model owner requests its promotion');
    }
  }
}
