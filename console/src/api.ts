/** The console talks to the Assay HTTP API only, with the session token from POST /auth/sign-in. */
const TOKEN_KEY = 'assay.session';

export interface Me {
  user: { id: string; email: string; displayName: string; role: Role };
}
export type Role = 'engineer' | 'compliance_officer' | 'regulator' | 'admin';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = session.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let code = `HTTP_${response.status}`;
    let message = response.statusText;
    try {
      const error = ((await response.json()) as { error?: { code: string; message: string } }).error;
      if (error) ({ code, message } = error);
    } catch {
      /* not JSON */
    }
    throw new ApiError(response.status, code, message);
  }
  return response;
}

export const api = {
  get: async <T>(path: string): Promise<T> => (await (await call('GET', path)).json()) as T,
  text: async (path: string): Promise<string> => (await call('GET', path)).text(),
  blob: async (path: string): Promise<{ blob: Blob; fileName: string }> => {
    const response = await call('GET', path);
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
    return { blob: await response.blob(), fileName };
  },
  post: async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await call('POST', path, body ?? {});
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  },
};

/** Saves a blob through a temporary link (the API needs a bearer token, so a plain link would not do). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Shapes the console reads (subsets of the API's views).
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface Model {
  id: string;
  name: string;
  ownerId: string;
  intendedUse: string;
  riskTier: string;
  jurisdictions: string[];
}
export interface ModelVersion {
  id: string;
  modelId: string;
  version: number;
  runId: string;
  modelDigest: string;
  status: string;
  createdAt: string;
}
export interface Alias {
  alias: string;
  version: number;
}
export type RuleOutcome = 'pass' | 'fail' | 'not_applicable' | 'waived' | 'error';
export interface RuleResult {
  packId: string;
  ruleId: string;
  title: string;
  cites: string[];
  severity: 'block' | 'warn';
  waivable: boolean;
  outcome: RuleOutcome;
  reason: string | null;
  observed: Record<string, unknown>;
  message: string | null;
  waiver: { justification?: string; expiresAt?: string; grantedBy?: string } | null;
}
export interface Promotion {
  id: string;
  modelId: string;
  version: number;
  targetStage: string;
  /** blocked | pending_approval | approved | rejected (kept open: the console shows states it does not know). */
  state: string;
  requestedBy: string;
  decidedBy: string | null;
  rationale: string | null;
  createdAt: string;
  decidedAt: string | null;
  decision: {
    outcome: string;
    rules: RuleResult[];
    blockedBy: { packId: string; ruleId: string }[];
    counts: Record<RuleOutcome, number>;
    packs: { id: string; version: string; title: string; digest: string; applicable: boolean }[];
  };
}
export interface Interval {
  value: number | null;
  ci?: { level: number; lower: number | null; upper: number | null } | null;
}
export interface Report {
  model: { name: string; version: number | null; runId: string; modelDigest: string | null; modelType: string | null; backend: string };
  datasets: { role: string; name: string; datasetId: string | null; version: number | string | null; digest: string }[];
  evaluation: { task: string; rows: number; metrics: Record<string, Interval> } | null;
  fairness: {
    attributeSets: {
      attributes: string[];
      groups: { values: string[]; size: number; selectionRate: Interval; truePositiveRate?: Interval; falsePositiveRate?: Interval }[];
      fourFifthsRule?: { ratio: number | null; passes: boolean | null };
    }[];
  } | null;
  importance: { metrics: { metric: string; columns: { column: string; mean: number; std: number }[] }[] } | null;
  explanations: { label: string; explanation: { methods: { method: string; attributions: { column: string; value: number }[] }[] } }[] | null;
  energy: { activity: string; measurement: { method: string; energyKwh: number; co2eGrams: number; warnings?: string[] } }[] | null;
}
export interface LedgerEntry {
  index: number;
  time: string;
  actor: { type: string; id: string };
  action: string;
  subject: { type: string; id: string };
  evidenceDigest: string | null;
  data: Record<string, unknown>;
}
export type MonitoringMetricName = 'psi' | 'ks' | 'prediction_rate_delta' | 'group_prediction_rate_delta' | 'accuracy_drop';
export interface MonitoringMetric {
  metric: MonitoringMetricName;
  target: string;
  value: number;
  threshold: number;
  samples: number;
  breached: boolean;
  insufficient?: boolean;
  detail?: Record<string, unknown>;
}
export interface MonitoringCheck {
  id: string;
  version: number;
  aliases: string[];
  window: { from: string; to: string };
  samples: number;
  outcomes: number;
  checkedAt: string;
  alerted: string[];
  metrics: MonitoringMetric[];
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
export interface Monitoring {
  modelId: string;
  plan: {
    decisionLogging: boolean;
    /** ISO 8601 duration, e.g. PT1H. */
    window: string;
    minSamples: number;
    /** null: every input feature. */
    features: string[] | null;
    /** null: the training datasheet's sensitive attributes. */
    groupAttributes: string[] | null;
    /** null: the metric is not checked. */
    thresholds: { psi: number | null; ks: number | null; predictionRateDelta: number | null; groupPredictionRateDelta: number | null; accuracyDrop: number | null };
    webhooks: { id: string; url: string }[];
  } | null;
  planEvidence: string | null;
  served: { versionId: string; version: number; aliases: string[]; lastCheck: MonitoringCheck | null }[];
  openAlerts: MonitoringAlert[];
  recentAlerts: MonitoringAlert[];
  webhookDeliveries: {
    id: string;
    webhookId: string;
    url: string;
    event: string;
    state: 'pending' | 'delivered' | 'failed';
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
    createdAt: string;
    deliveredAt: string | null;
  }[];
}
