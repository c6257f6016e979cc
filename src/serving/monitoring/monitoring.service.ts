import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { systemActor, userActor, type Actor } from '../../platform/ledger/actor';
import { ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { RegistryService } from '../../governance/registry/registry.service';
import { ServedModels, type ServingModel } from '../predictions/served-models';
import { assessWindow, type MonitoringMetric, type MonitoringView } from './drift';
import { evidencePlan, parsePlan, windowMs, type StoredPlan } from './monitoring-plan';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

export interface MonitoringCheck {
  id: string;
  modelVersionId: string;
  version: number;
  aliases: string[];
  window: { from: string; to: string };
  samples: number;
  outcomes: number;
  metrics: MonitoringMetric[];
  /** Alerts this check opened (a breach whose alert is still open opens none). */
  alerted: string[];
  checkedAt: string;
}

export interface MonitoringAlert {
  id: string;
  modelId: string;
  modelVersionId: string;
  version: number;
  metric: string;
  target: string;
  value: number;
  threshold: number;
  samples: number;
  state: 'open' | 'resolved';
  evidenceDigest: string;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

export interface MonitoringStatus {
  modelId: string;
  plan: StoredPlan | null;
  planEvidence: string | null;
  served: Array<{ versionId: string; version: number; aliases: string[]; lastCheck: MonitoringCheck | null }>;
  openAlerts: MonitoringAlert[];
  recentAlerts: MonitoringAlert[];
  webhookDeliveries: Awaited<ReturnType<WebhookDispatcher['deliveries']>>;
}

interface AlertRow {
  id: string;
  model_id: string;
  model_version_id: string;
  version: number;
  metric: string;
  target: string;
  value: number;
  threshold: number;
  samples: number;
  state: 'open' | 'resolved';
  evidence_digest: string;
  created_at: Date;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution: string | null;
}

const toAlert = (r: AlertRow): MonitoringAlert => ({
  id: r.id,
  modelId: r.model_id,
  modelVersionId: r.model_version_id,
  version: r.version,
  metric: r.metric,
  target: r.target,
  value: r.value,
  threshold: r.threshold,
  samples: r.samples,
  state: r.state,
  evidenceDigest: r.evidence_digest,
  createdAt: r.created_at.toISOString(),
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at?.toISOString() ?? null,
  resolution: r.resolution,
});

const ALERT_COLUMNS = `a.id, a.model_id, a.model_version_id, v.version, a.metric, a.target, a.value, a.threshold, a.samples, a.state, a.evidence_digest, a.created_at, a.resolved_by, a.resolved_at, a.resolution`;

/**
 * Post-market monitoring (EU AI Act Art. 72): the plan of a registered model (recorded as
 * `monitoring.configured`), checks of every served version's recent predictions against its
 * training profile, alerts for breached thresholds (`monitoring.alerted`, signed webhooks from an
 * outbox written in the same transaction) and their resolution by a compliance officer
 * (`monitoring.alert-resolved`). An open alert counts in the version's evidence document, so a
 * pack can block a re-promotion while it is open; the Art. 14 stop itself is the demotion.
 */
@Injectable()
export class MonitoringService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: RegistryService,
    private readonly served: ServedModels,
    private readonly evidence: EvidenceService,
    private readonly webhooks: WebhookDispatcher,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  async setPlan(auth: AuthContext, modelId: string, body: unknown): Promise<MonitoringStatus> {
    const model = await this.registry.get(auth, modelId);
    if (!auth.ability.can('update', asSubject('Model', { ownerId: model.ownerId })))
      throw new AssayException('ACCESS_DENIED', 'Only the model’s owner sets its monitoring plan');
    const parsed = parsePlan(body);
    if (!parsed.ok) throw new AssayException('MONITORING_PLAN_INVALID', 'The monitoring plan is invalid', { problems: parsed.problems });
    const features = parsed.value.plan.features ?? (await this.latestFeatures(modelId));
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT id FROM registered_models WHERE id = $1 FOR UPDATE`, [modelId]);
      await tx.query(`DELETE FROM monitoring_webhooks WHERE model_id = $1`, [modelId]);
      const hooks: StoredPlan['webhooks'] = [];
      for (const hook of parsed.value.webhooks) {
        const rows = await tx.query<{ id: string }[]>(`INSERT INTO monitoring_webhooks (model_id, url, secret) VALUES ($1, $2, $3) RETURNING id`, [
          modelId,
          hook.url,
          hook.secret,
        ]);
        hooks.push({ id: rows[0]!.id, url: hook.url });
      }
      const plan: StoredPlan = { ...parsed.value.plan, webhooks: hooks };
      const record = await this.evidence.record(tx, {
        kind: 'monitoring.configured',
        subject: { type: 'model', id: modelId },
        actor: userActor(auth.user.id),
        subjectOwnerId: model.ownerId,
        // Evidence is permanent and widely read: a webhook URL may be a credential, so only its origin goes in.
        body: JSON.parse(
          JSON.stringify({
            modelId,
            plan: evidencePlan(plan, features),
            settings: { ...plan, webhooks: hooks.map((h) => ({ origin: new URL(h.url).origin })) },
          }),
        ) as Record<string, unknown>,
      });
      await tx.query(
        `INSERT INTO monitoring_plans (model_id, plan, evidence_digest, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model_id) DO UPDATE SET plan = EXCLUDED.plan, evidence_digest = EXCLUDED.evidence_digest, updated_by = EXCLUDED.updated_by, updated_at = date_trunc('milliseconds', now())`,
        [modelId, JSON.stringify(plan), record.digest, auth.user.id],
      );
    });
    return this.status(auth, modelId);
  }

  async status(auth: AuthContext, modelId: string): Promise<MonitoringStatus> {
    const model = await this.registry.get(auth, modelId);
    // A webhook URL may itself be a credential (chat hooks): only those who may change the plan see it whole.
    const url = auth.ability.can('update', asSubject('Model', { ownerId: model.ownerId })) ? (u: string) => u : (u: string) => `${new URL(u).origin}/…`;
    const plan = (
      await this.db.query<{ plan: StoredPlan; evidence_digest: string }[]>(`SELECT plan, evidence_digest FROM monitoring_plans WHERE model_id = $1`, [modelId])
    )[0];
    const served = await this.servedVersions(modelId);
    const lastChecks = await this.db.query<{ id: string; model_version_id: string; report: MonitoringCheck }[]>(
      `SELECT DISTINCT ON (model_version_id) id, model_version_id, report FROM monitoring_checks WHERE model_id = $1 ORDER BY model_version_id, seq DESC`,
      [modelId],
    );
    const alerts = (where: string, limit: number) =>
      this.db.query<AlertRow[]>(
        `SELECT ${ALERT_COLUMNS} FROM monitoring_alerts a JOIN model_versions v ON v.id = a.model_version_id WHERE a.model_id = $1 AND ${where} ORDER BY a.seq DESC LIMIT $2`,
        [modelId, limit],
      );
    const [open, recent] = [await alerts(`a.state = 'open'`, 1000), await alerts('true', 50)];
    return {
      modelId,
      plan: plan ? { ...plan.plan, webhooks: plan.plan.webhooks.map((hook) => ({ ...hook, url: url(hook.url) })) } : null,
      planEvidence: plan?.evidence_digest ?? null,
      served: served.map((s) => ({ ...s, lastCheck: lastChecks.find((c) => c.model_version_id === s.versionId)?.report ?? null })),
      openAlerts: open.map(toAlert),
      recentAlerts: recent.map(toAlert),
      webhookDeliveries: (await this.webhooks.deliveries(modelId)).map((delivery) => ({ ...delivery, url: url(delivery.url) })),
    };
  }

  /** Checks every served version of the model now (the scheduler calls it with no user). */
  async check(auth: AuthContext | null, modelId: string): Promise<MonitoringCheck[]> {
    if (auth) {
      const model = await this.registry.get(auth, modelId);
      if (
        !auth.ability.can('update', asSubject('Model', { ownerId: model.ownerId })) &&
        !auth.ability.can('demote', asSubject('Model', { ownerId: model.ownerId }))
      )
        throw new AssayException('ACCESS_DENIED', 'The model’s owner or a compliance officer runs monitoring checks');
    }
    const plan = (await this.db.query<{ plan: StoredPlan }[]>(`SELECT plan FROM monitoring_plans WHERE model_id = $1`, [modelId]))[0]?.plan;
    if (!plan) throw new AssayException('MONITORING_PLAN_NOT_SET', 'Set a monitoring plan first (PUT /models/:id/monitoring)');
    const actor = auth ? userActor(auth.user.id) : systemActor('monitoring');
    const checks: MonitoringCheck[] = [];
    for (const version of await this.servedVersions(modelId)) {
      checks.push(
        await withSpan('assay.monitoring.check', { [ATTR.modelId]: modelId, 'assay.model.version': version.version }, () =>
          this.checkVersion(modelId, version, plan, actor),
        ),
      );
    }
    if (checks.some((c) => c.alerted.length > 0)) this.webhooks.nudge();
    return checks;
  }

  private async checkVersion(
    modelId: string,
    version: { versionId: string; version: number; runId: string; aliases: string[] },
    plan: StoredPlan,
    actor: Actor,
  ): Promise<MonitoringCheck> {
    const model = await this.served.load(version);
    const to = new Date();
    const from = new Date(to.getTime() - windowMs(plan.window)!);
    const rows = await this.db.query<{ monitoring: MonitoringView; label: string; outcome: string | null }[]>(
      `SELECT p.monitoring, p.label, o.label AS outcome FROM predictions p LEFT JOIN prediction_outcomes o ON o.prediction_id = p.id
        WHERE p.model_version_id = $1 AND p.created_at > $2 AND p.created_at <= $3 ORDER BY p.created_at DESC LIMIT $4`,
      [version.versionId, from.toISOString(), to.toISOString(), this.config.ASSAY_MONITORING_MAX_WINDOW_SAMPLES],
    );
    const assessment = assessWindow({
      baseline: model.baseline,
      predictions: rows.map((r) => ({ view: r.monitoring, label: r.label, outcome: r.outcome })),
      features: this.monitoredFeatures(plan, model),
      groupAttributes: plan.groupAttributes ?? model.schema.groupAttributes,
      thresholds: Object.fromEntries(Object.entries(plan.thresholds).filter(([, v]) => v !== null)),
      minSamples: plan.minSamples,
    });
    return this.db.transaction(async (tx) => {
      const owner = await tx.query<{ owner_id: string }[]>(`SELECT owner_id FROM registered_models WHERE id = $1 FOR UPDATE`, [modelId]);
      const alerted: string[] = [];
      for (const metric of assessment.metrics.filter((m) => m.breached)) {
        const id = await this.openAlert(tx, { modelId, ownerId: owner[0]!.owner_id, version, metric, window: { from, to }, actor });
        if (id) alerted.push(id);
      }
      const report: MonitoringCheck = {
        id: randomUUID(),
        modelVersionId: version.versionId,
        version: version.version,
        aliases: version.aliases,
        window: { from: from.toISOString(), to: to.toISOString() },
        samples: assessment.samples,
        outcomes: assessment.outcomes,
        metrics: assessment.metrics,
        alerted,
        checkedAt: to.toISOString(),
      };
      await tx.query(
        `INSERT INTO monitoring_checks (id, model_id, model_version_id, window_from, window_to, samples, report) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [report.id, modelId, version.versionId, report.window.from, report.window.to, report.samples, JSON.stringify(report)],
      );
      return report;
    });
  }

  /** Opens an alert unless one is open for the same version, metric and target; records it and queues the webhooks. */
  private async openAlert(
    tx: EntityManager,
    input: {
      modelId: string;
      ownerId: string;
      version: { versionId: string; version: number };
      metric: MonitoringMetric;
      window: { from: Date; to: Date };
      actor: Actor;
    },
  ): Promise<string | null> {
    const { metric, version } = input;
    const open = await tx.query<{ id: string }[]>(
      `SELECT id FROM monitoring_alerts WHERE model_version_id = $1 AND metric = $2 AND target = $3 AND state = 'open'`,
      [version.versionId, metric.metric, metric.target],
    );
    if (open[0]) return null;
    const id = randomUUID();
    const body = {
      alertId: id,
      modelId: input.modelId,
      modelVersionId: version.versionId,
      version: version.version,
      metric: metric.metric,
      target: metric.target,
      value: metric.value,
      threshold: metric.threshold,
      samples: metric.samples,
      window: { from: input.window.from.toISOString(), to: input.window.to.toISOString() },
      ...(metric.detail ? { detail: metric.detail } : {}),
    };
    const record = await this.evidence.record(tx, {
      kind: 'monitoring.alerted',
      subject: { type: 'model_version', id: version.versionId },
      actor: input.actor,
      subjectOwnerId: input.ownerId,
      body: JSON.parse(JSON.stringify(body)) as Record<string, unknown>,
    });
    await tx.query(
      `INSERT INTO monitoring_alerts (id, model_id, model_version_id, metric, target, value, threshold, samples, evidence_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, input.modelId, version.versionId, metric.metric, metric.target, metric.value, metric.threshold, metric.samples, record.digest],
    );
    await this.webhooks.enqueue(tx, input.modelId, 'monitoring.alerted', {
      event: 'monitoring.alerted',
      evidenceDigest: record.digest,
      ledgerIndex: record.ledgerIndex,
      alert: body,
    });
    return id;
  }

  /** A compliance officer closes an alert (after a demotion, a retraining, or with a reason why the shift is accepted). */
  async resolveAlert(auth: AuthContext, alertId: string, body: unknown): Promise<MonitoringAlert> {
    const reason = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { reason?: unknown }).reason : undefined;
    if (typeof reason !== 'string' || reason.trim().length < 10 || reason.length > 4000 || Object.keys(body as object).some((k) => k !== 'reason'))
      throw new AssayException('VALIDATION_FAILED', 'The body must be {reason: string of 10 to 4,000 characters}');
    const rows = await this.db.query<AlertRow[]>(
      `SELECT ${ALERT_COLUMNS} FROM monitoring_alerts a JOIN model_versions v ON v.id = a.model_version_id WHERE a.id = $1`,
      [alertId],
    );
    const alert = rows[0];
    if (!alert) throw new AssayException('MONITORING_ALERT_NOT_FOUND', `No monitoring alert ${alertId}`);
    const model = await this.registry.get(auth, alert.model_id);
    if (!auth.ability.can('demote', asSubject('Model', { ownerId: model.ownerId })))
      throw new AssayException('ACCESS_DENIED', 'Only a compliance officer resolves monitoring alerts');
    await this.db.transaction(async (tx) => {
      const locked = await tx.query<{ state: string }[]>(`SELECT state FROM monitoring_alerts WHERE id = $1 FOR UPDATE`, [alertId]);
      if (locked[0]!.state !== 'open') throw new AssayException('MONITORING_ALERT_RESOLVED', 'The alert was resolved already');
      const record = await this.evidence.record(tx, {
        kind: 'monitoring.alert-resolved',
        subject: { type: 'model_version', id: alert.model_version_id },
        actor: userActor(auth.user.id),
        subjectOwnerId: model.ownerId,
        body: { alertId, modelVersionId: alert.model_version_id, reason },
      });
      await tx.query(
        `UPDATE monitoring_alerts SET state = 'resolved', resolved_by = $2, resolved_at = date_trunc('milliseconds', now()), resolution = $3, resolution_digest = $4 WHERE id = $1`,
        [alertId, auth.user.id, reason, record.digest],
      );
    });
    const updated = await this.db.query<AlertRow[]>(
      `SELECT ${ALERT_COLUMNS} FROM monitoring_alerts a JOIN model_versions v ON v.id = a.model_version_id WHERE a.id = $1`,
      [alertId],
    );
    return toAlert(updated[0]!);
  }

  /** Models with a plan and at least one served version: what the scheduler checks. */
  async monitoredModels(): Promise<string[]> {
    const rows = await this.db.query<{ model_id: string }[]>(
      `SELECT p.model_id FROM monitoring_plans p WHERE EXISTS (SELECT 1 FROM model_aliases a WHERE a.model_id = p.model_id)`,
    );
    return rows.map((r) => r.model_id);
  }

  private monitoredFeatures(plan: StoredPlan, model: ServingModel): string[] {
    const columns = model.schema.features.map((f) => f.column);
    return plan.features ? plan.features.filter((f) => columns.includes(f)) : columns;
  }

  private async servedVersions(modelId: string): Promise<Array<{ versionId: string; version: number; runId: string; aliases: string[] }>> {
    const rows = await this.db.query<{ version_id: string; version: number; run_id: string; aliases: string[] }[]>(
      `SELECT v.id AS version_id, v.version, v.run_id, array_agg(a.alias ORDER BY a.alias) AS aliases
         FROM model_aliases a JOIN model_versions v ON v.id = a.model_version_id WHERE a.model_id = $1 GROUP BY v.id, v.version, v.run_id ORDER BY v.version`,
      [modelId],
    );
    return rows.map((r) => ({ versionId: r.version_id, version: r.version, runId: r.run_id, aliases: r.aliases }));
  }

  /** The input features of the model's latest version (what "every feature" means when a plan is recorded). */
  private async latestFeatures(modelId: string): Promise<string[]> {
    const latest = (
      await this.db.query<{ id: string; run_id: string }[]>(`SELECT id, run_id FROM model_versions WHERE model_id = $1 ORDER BY version DESC LIMIT 1`, [
        modelId,
      ])
    )[0];
    if (!latest) return [];
    const model = await this.served.load({ versionId: latest.id, runId: latest.run_id });
    return model.schema.features.map((f) => f.column);
  }
}
