/**
 * `monitoring`: the model's post-market monitoring plan (its latest `monitoring.configured`) and
 * the status of this version (its `monitoring.alerted` records not followed by a
 * `monitoring.alert-resolved` of the same alert). Left out of the document when neither exists,
 * so `has(evidence.monitoring)` in a rule means "a plan or an alert is recorded".
 */
import type { MonitoringSection } from '../evidence-document';
import { readRecord } from './assembly.error';
import type { MonitoringAlertedBody, MonitoringAlertResolvedBody, MonitoringConfiguredBody } from './producer-bodies';
import type { RecordSet } from './record-set';

export function monitoringSection(current: RecordSet, modelId: string, versionId: string): MonitoringSection | undefined {
  const configured = current.latest<MonitoringConfiguredBody>('monitoring.configured', modelId);
  const alerts = current.all<MonitoringAlertedBody>('monitoring.alerted', versionId);
  if (!configured && alerts.length === 0) return undefined;
  const resolved = new Set(current.all<MonitoringAlertResolvedBody>('monitoring.alert-resolved', versionId).map((r) => r.body.alertId));
  const plan = configured
    ? readRecord(configured, () => {
        const p = configured.body.plan;
        return {
          decisionLogging: p.decisionLogging,
          features: [...p.features],
          window: p.window,
          thresholds: p.thresholds.map((t) => ({ metric: t.metric, value: t.value })),
          groupDrift: p.groupDrift,
          webhooks: p.webhooks,
        };
      })
    : null;
  return {
    plan,
    openAlerts: alerts.filter((a) => !resolved.has(a.body.alertId)).length,
    lastAlertAt: alerts.at(-1)?.createdAt ?? null,
  };
}
