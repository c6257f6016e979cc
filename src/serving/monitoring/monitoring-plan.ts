import { isPlainObject } from '../../pipeline/datasets/json-checks';
import type { MonitoringPlan as EvidencePlan } from '../../governance/evidence-document';
import { validateWebhookSecret, validateWebhookUrl } from './webhooks/webhook-url';

/** Metrics a plan may set a threshold for, with the default when the plan does not say. */
export const THRESHOLD_DEFAULTS = {
  psi: 0.2,
  ks: 0.1,
  predictionRateDelta: 0.1,
  groupPredictionRateDelta: 0.1,
  accuracyDrop: 0.05,
} as const;
export type ThresholdName = keyof typeof THRESHOLD_DEFAULTS;

/** Evidence-document metric names (snake case, as the monitoring metrics are reported). */
export const THRESHOLD_METRIC: Record<ThresholdName, string> = {
  psi: 'psi',
  ks: 'ks',
  predictionRateDelta: 'prediction_rate_delta',
  groupPredictionRateDelta: 'group_prediction_rate_delta',
  accuracyDrop: 'accuracy_drop',
};

/** A monitoring plan as stored (webhook secrets are kept apart, never returned). */
export interface StoredPlan {
  /** Every prediction is recorded in the decision log (EU AI Act Art. 12). Off only for models whose rules allow it. */
  decisionLogging: boolean;
  /** ISO 8601 duration of the window a check compares with training (weeks, days, hours, minutes, seconds). */
  window: string;
  /** Below this many predictions (or outcomes, or group members) a metric is reported, never alerted on. */
  minSamples: number;
  /** Monitored feature columns; null = every input feature of the served version. */
  features: string[] | null;
  /** Attributes whose groups' prediction rates are compared; null = the training datasheet's sensitive attributes. */
  groupAttributes: string[] | null;
  /** Thresholds per metric; a metric set to null is not checked. */
  thresholds: Record<ThresholdName, number | null>;
  webhooks: { id: string; url: string }[];
}

export interface PlanInput {
  plan: Omit<StoredPlan, 'webhooks'>;
  webhooks: { url: string; secret: string }[];
}

export interface PlanProblem {
  path: string;
  message: string;
}

const WINDOW = /^P(?:(\d+)W|(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?)$/;
const COLUMN = /^\P{Cc}{1,200}$/u;
const MINUTE = 60_000;
const MAX_WINDOW = 366 * 86_400_000;
const MAX_WEBHOOKS = 10;
const FIELDS = ['decisionLogging', 'window', 'minSamples', 'features', 'groupAttributes', 'thresholds', 'webhooks'];

/** Milliseconds of a window duration, or undefined when it is not one Assay accepts (no years or months: they have no fixed length). */
export function windowMs(window: string): number | undefined {
  const match = WINDOW.exec(window);
  if (!match || window === 'P' || window === 'PT') return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  const ms = ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  return ms >= MINUTE && ms <= MAX_WINDOW ? ms : undefined;
}

function columnList(value: unknown, path: string, problems: PlanProblem[]): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || value.length > 1000 || value.some((c) => typeof c !== 'string' || !COLUMN.test(c))) {
    problems.push({ path, message: 'must be a non-empty list of column names (or null for the default)' });
    return null;
  }
  return [...new Set(value as string[])];
}

/**
 * Checks a `PUT /models/:id/monitoring` body. Absent fields take their defaults, so `{}` is a
 * complete plan: logging on, a 7-day window, every feature, the datasheet's sensitive groups and
 * the default thresholds.
 */
export function parsePlan(body: unknown): { ok: true; value: PlanInput } | { ok: false; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  if (!isPlainObject(body)) return { ok: false, problems: [{ path: '', message: 'must be an object' }] };
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) problems.push({ path: `/${key}`, message: `is not allowed (allowed: ${FIELDS.join(', ')})` });
  const decisionLogging = body.decisionLogging ?? true;
  if (typeof decisionLogging !== 'boolean') problems.push({ path: '/decisionLogging', message: 'must be a boolean' });
  const window = body.window ?? 'P7D';
  if (typeof window !== 'string' || windowMs(window) === undefined)
    problems.push({ path: '/window', message: 'must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, from PT1M to P366D (e.g. P7D, PT1H)' });
  const minSamples = body.minSamples ?? 100;
  if (!Number.isSafeInteger(minSamples) || (minSamples as number) < 1 || (minSamples as number) > 1_000_000)
    problems.push({ path: '/minSamples', message: 'must be an integer from 1 to 1,000,000' });
  const features = columnList(body.features, '/features', problems);
  const groupAttributes = columnList(body.groupAttributes, '/groupAttributes', problems);
  const thresholds = { ...THRESHOLD_DEFAULTS } as Record<ThresholdName, number | null>;
  if (body.thresholds !== undefined) {
    if (!isPlainObject(body.thresholds)) problems.push({ path: '/thresholds', message: 'must be an object of metric → threshold (or null to switch it off)' });
    else {
      for (const [name, value] of Object.entries(body.thresholds)) {
        if (!(name in THRESHOLD_DEFAULTS))
          problems.push({ path: `/thresholds/${name}`, message: `is not a metric (${Object.keys(THRESHOLD_DEFAULTS).join(', ')})` });
        else if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 10))
          problems.push({ path: `/thresholds/${name}`, message: 'must be a number above 0 and at most 10, or null' });
        else thresholds[name as ThresholdName] = value;
      }
    }
  }
  const webhooks: PlanInput['webhooks'] = [];
  if (body.webhooks !== undefined) {
    if (!Array.isArray(body.webhooks) || body.webhooks.length > MAX_WEBHOOKS)
      problems.push({ path: '/webhooks', message: `must be a list of at most ${MAX_WEBHOOKS} {url, secret}` });
    else
      body.webhooks.forEach((hook: unknown, i) => {
        if (!isPlainObject(hook) || Object.keys(hook).some((k) => k !== 'url' && k !== 'secret')) {
          problems.push({ path: `/webhooks/${i}`, message: 'must be {url, secret}' });
          return;
        }
        const url = validateWebhookUrl(typeof hook.url === 'string' ? hook.url : '');
        if (!url.ok) problems.push({ path: `/webhooks/${i}/url`, message: url.reason });
        const secret = validateWebhookSecret(typeof hook.secret === 'string' ? hook.secret : '');
        if (!secret.ok) problems.push({ path: `/webhooks/${i}/secret`, message: secret.reason });
        if (url.ok && secret.ok) webhooks.push({ url: url.url, secret: hook.secret as string });
      });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      plan: { decisionLogging: decisionLogging as boolean, window: window as string, minSamples: minSamples as number, features, groupAttributes, thresholds },
      webhooks,
    },
  };
}

/** The plan as the evidence document carries it (assay.evidence/v1 `monitoring.plan`). */
export function evidencePlan(plan: StoredPlan, features: readonly string[]): EvidencePlan {
  return {
    decisionLogging: plan.decisionLogging,
    features: [...features],
    window: plan.window,
    thresholds: (Object.keys(THRESHOLD_DEFAULTS) as ThresholdName[]).flatMap((name) => {
      const value = plan.thresholds[name];
      return value === null ? [] : [{ metric: THRESHOLD_METRIC[name], value }];
    }),
    groupDrift: plan.thresholds.groupPredictionRateDelta !== null && (plan.groupAttributes === null || plan.groupAttributes.length > 0),
    webhooks: plan.webhooks.length,
  };
}
