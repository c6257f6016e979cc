import { z } from 'zod';

/** One environment variable: its schema (with default), what it is for, and whether it is a secret. */
export interface ConfigVariable<S extends z.ZodType = z.ZodType> {
  schema: S;
  description: string;
  isSensitive: boolean;
}

const variable = <S extends z.ZodType>(
  schema: S,
  description: string,
  isSensitive = false,
): ConfigVariable<S> => ({ schema, description, isSensitive });

const integer = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL')
  .refine((value) => URL.canParse(value), 'is not a valid URL');

/**
 * Every environment variable Assay reads. `process.env` is read in exactly one place
 * (`loadConfig`); everything else receives the validated `AssayConfig`.
 */
export const CONFIG_VARIABLES = {
  PORT: variable(integer(0, 65535, 3000), 'TCP port of the HTTP API (0 picks a free port).'),
  HOST: variable(z.string().min(1).default('0.0.0.0'), 'Interface the HTTP API listens on.'),
  ASSAY_DATA_DIR: variable(
    z.string().min(1).default('./data'),
    'Directory for the embedded database, artifacts, keys and the bootstrap credential.',
  ),
  DATABASE_URL: variable(
    postgresUrl.optional(),
    'PostgreSQL connection URL. Unset: the embedded PGlite database under ASSAY_DATA_DIR is used.',
    true,
  ),
  ASSAY_DB_POOL_SIZE: variable(integer(1, 200, 10), 'PostgreSQL connection pool size per process.'),
  ASSAY_LOG_LEVEL: variable(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'Minimum level of the structured JSON logs.',
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: variable(
    z.url({ protocol: /^https?$/ }).optional(),
    'OpenTelemetry collector (OTLP/HTTP) base URL, e.g. http://otel-collector:4318: traces go to <url>/v1/traces. Unset (and no OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): tracing is off and nothing is sent.',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: variable(
    z.url({ protocol: /^https?$/ }).optional(),
    'Full OTLP/HTTP traces URL (used as is, e.g. http://otel-collector:4318/v1/traces); takes precedence over OTEL_EXPORTER_OTLP_ENDPOINT.',
  ),
  OTEL_SERVICE_NAME: variable(
    z.string().min(1).max(255).optional(),
    'service.name of the spans this process exports. Unset: `assay-worker` for `assay worker`, `assay` otherwise.',
  ),
  ASSAY_BODY_LIMIT_BYTES: variable(
    integer(1024, 1024 * 1024 * 1024, 1024 * 1024),
    'Largest JSON request body accepted, in bytes; larger bodies get 413.',
  ),
  ASSAY_SESSION_TTL_MINUTES: variable(integer(1, 60 * 24 * 30, 8 * 60), 'Lifetime of a sign-in session.'),
  ASSAY_TOKEN_MAX_TTL_DAYS: variable(integer(1, 3650, 365), 'Longest lifetime an API token may be given.'),
  ASSAY_SIGNIN_MAX_FAILURES: variable(
    integer(1, 1000, 5),
    'Failed sign-ins allowed per account (and per client address) within the window before 429.',
  ),
  ASSAY_SIGNIN_WINDOW_SECONDS: variable(integer(1, 86400, 900), 'Window over which failed sign-ins are counted.'),
  ASSAY_BOOTSTRAP_ADMIN_EMAIL: variable(
    z.email().default('admin@assay.local'),
    'E-mail of the administrator created on first start with an empty database.',
  ),
  ASSAY_TRUST_PROXY: variable(
    z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
    'Trust X-Forwarded-For from a reverse proxy when identifying clients (rate limits, logs).',
  ),
  ASSAY_METRICS_TOKEN: variable(
    z.string().min(16, 'must be at least 16 characters').optional(),
    'Bearer token Prometheus must present to scrape GET /metrics. Unset: /metrics is open on the API listener, like most exporters (keep it off the public network).',
    true,
  ),
  ASSAY_LEDGER_ORIGIN: variable(
    z
      .string()
      .regex(/^[a-z0-9.-]+(\/[A-Za-z0-9._~-]+)*$/, 'must look like "host.example/path" (C2SP checkpoint origin)')
      .default('assay.local/ledger'),
    'Origin line of signed ledger checkpoints; also the signing key name. Unique per Assay installation.',
  ),
  ASSAY_LEDGER_SIGNING_KEY: variable(
    z.string().includes('BEGIN PRIVATE KEY', { message: 'must be a PKCS#8 PEM Ed25519 private key' }).optional(),
    'Ed25519 private key (PKCS#8 PEM) that signs ledger checkpoints. Unset: ASSAY_LEDGER_SIGNING_KEY_FILE.',
    true,
  ),
  ASSAY_LEDGER_SIGNING_KEY_FILE: variable(
    z.string().min(1).optional(),
    'File holding the checkpoint signing key. Unset: <ASSAY_DATA_DIR>/keys/ledger-ed25519.pem, generated on first start.',
  ),
  ASSAY_CHECKPOINT_INTERVAL_MS: variable(
    integer(100, 3_600_000, 1000),
    'Checkpoints are signed at most this often while the ledger grows (and on demand).',
  ),
  ASSAY_DATASET_MAX_BYTES: variable(
    integer(1024, 1024 ** 4, 1024 ** 3),
    'Largest dataset upload in bytes (after decompression, for gzip uploads); larger uploads get 413.',
  ),
  ASSAY_DATASET_MAX_RECORD_BYTES: variable(
    integer(1024, 1024 ** 3, 1024 ** 2),
    'Largest single record (line) of a dataset upload, in bytes.',
  ),
  ASSAY_DATASET_MAX_COLUMNS: variable(integer(1, 100_000, 2_000), 'Most columns a dataset may have.'),
  ASSAY_PRIVACY_K_THRESHOLD: variable(
    integer(2, 1000, 5),
    'k-anonymity threshold of the privacy scan: records in equivalence classes smaller than this are counted at risk.',
  ),
  ASSAY_PRIVACY_L_THRESHOLD: variable(integer(2, 100, 2), 'l-diversity threshold of the privacy scan.'),
  ASSAY_PSEUDONYMISATION_KEY: variable(
    z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters (256 bits)').optional(),
    'HMAC-SHA-256 key for pseudonymising dataset columns. Unset: <ASSAY_DATA_DIR>/keys/pseudonymisation.key, generated on first use.',
    true,
  ),
  REDIS_URL: variable(
    z
      .string()
      .refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), 'must be a redis:// or rediss:// URL')
      .optional(),
    'Redis for the BullMQ training queue; then `assay worker` processes (any number, any machine) run training. Unset: the in-process queue.',
    true,
  ),
  ASSAY_RUN_WORKERS: variable(
    integer(0, 16, 1),
    'Training runs this process executes at once (`serve` and `worker`). 0 on an API process leaves training to `assay worker` processes.',
  ),
  ASSAY_RUN_LEASE_MS: variable(
    integer(1_000, 3_600_000, 30_000),
    'A worker holds a run for this long between heartbeats; a run whose worker died is resumed from its checkpoint after it lapses.',
  ),
  ASSAY_RUN_POLL_MS: variable(integer(50, 60_000, 1_000), 'How often an idle worker looks for claimable runs (and a stream for new events).'),
  ASSAY_QUEUE_PREFIX: variable(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,63}$/, 'must be 1-64 letters, digits, colons, underscores or hyphens')
      .default('bull'),
    'Redis key prefix of the BullMQ training queue: installations (or test runs) sharing one Redis use different prefixes so that no worker takes the jobs of another. API and worker processes of one installation use the same.',
  ),
  ASSAY_TRAINING_BACKEND: variable(
    z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    'TensorFlow.js backend: `auto` takes tfjs-node when installed, else WASM, else cpu.',
  ),
  ASSAY_MODEL_SIGNING_KEY_FILE: variable(
    z.string().min(1).optional(),
    'PKCS#8 PEM private key (ECDSA P-256 or Ed25519) that signs model manifests. Unset: <ASSAY_DATA_DIR>/keys/model-signing-p256.pem, generated on first use.',
  ),
  ASSAY_ENERGY_TDP_PER_CORE_W: variable(
    z.coerce.number().positive().max(1000).optional(),
    "Watts per fully busy core (the CPU's TDP ÷ its cores) for the energy estimate where RAPL cannot be read. Unset: 12 W, a generic figure.",
  ),
  ASSAY_ENERGY_PUE: variable(z.coerce.number().min(1).max(5).default(1), 'Power usage effectiveness of the facility (1 = no overhead).'),
  ASSAY_GRID_INTENSITY: variable(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(
        z.strictObject({
          gCo2ePerKwh: z.number().min(0).max(5000),
          source: z.string().min(1),
          year: z.string().min(1),
          region: z.string().min(1),
          relativeUncertainty: z.number().min(0).max(1).optional(),
        }),
      )
      .optional(),
    'Grid carbon intensity for CO2e, as JSON {"gCo2ePerKwh", "source", "year", "region", "relativeUncertainty"?}. Unset: the EU-27 2023 average, flagged as a placeholder.',
  ),
  ASSAY_EVAL_BOOTSTRAP_RESAMPLES: variable(integer(50, 100_000, 1_000), 'Bootstrap resamples behind every confidence interval of an evaluation (seeded with the run seed).'),
  ASSAY_EVAL_CONFIDENCE: variable(z.coerce.number().gt(0.5).lt(1).default(0.95), 'Confidence level of evaluation and fairness intervals.'),
  ASSAY_EVAL_MIN_GROUP_SIZE: variable(integer(1, 100_000, 30), 'Groups smaller than this are flagged too small to judge (reported, left out of disparities).'),
  ASSAY_EVAL_EXAMPLE_EXPLANATIONS: variable(integer(0, 50, 3), 'Test rows explained individually (integrated gradients and KernelSHAP) after every run.'),
  ASSAY_SERVING_MAX_BATCH: variable(integer(1, 10_000, 1_000), 'Most inputs one predict request may carry (more: 400 PREDICTION_BATCH_TOO_LARGE).'),
  ASSAY_SERVING_MAX_EXPLAINED: variable(integer(0, 1_000, 20), 'Most inputs of one predict request that may ask for an explanation (each costs a KernelSHAP and integrated-gradients run).'),
  ASSAY_DECISION_BATCH_MS: variable(
    integer(50, 60_000, 1_000),
    'How often a process commits the logged predictions and outcomes not yet in a batch as one Merkle-rooted batch recorded in the ledger.',
  ),
  ASSAY_DECISION_BATCH_MAX: variable(integer(10, 100_000, 20_000), 'Most leaves (predictions and outcomes) in one decision-log batch.'),
  ASSAY_MONITORING_CHECK_MS: variable(
    integer(0, 86_400_000, 60_000),
    'How often each process checks the monitoring plans of served models (drift, prediction rates, quality); 0 = only on request.',
  ),
  ASSAY_MONITORING_MAX_WINDOW_SAMPLES: variable(integer(100, 1_000_000, 50_000), 'Most recent predictions of a window a monitoring check reads.'),
  ASSAY_WEBHOOK_POLL_MS: variable(integer(50, 60_000, 1_000), 'How often pending webhook deliveries are looked for (a new alert also sends at once).'),
  ASSAY_WEBHOOK_TIMEOUT_MS: variable(integer(100, 60_000, 5_000), 'Timeout of one webhook delivery attempt.'),
  ASSAY_WEBHOOK_MAX_ATTEMPTS: variable(integer(1, 50, 8), 'Delivery attempts (exponential back-off from 1 s) before a webhook delivery is marked failed.'),
  ASSAY_POLICIES_DIR: variable(
    z.string().min(1).default('policies'),
    'Folder of policy packs (one sub-folder each), validated at start: an invalid pack stops the process naming the file and line.',
  ),
  ASSAY_ARTIFACT_STORE: variable(
    z.enum(['filesystem', 's3']).default('filesystem'),
    'Where artifacts (uploads, tables, models, checkpoints) are stored: `filesystem` under <ASSAY_DATA_DIR>/artifacts, or `s3` (ASSAY_S3_*). Every API and worker process must share it.',
  ),
  ASSAY_S3_BUCKET: variable(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)')
      .optional(),
    'Bucket of the S3 artifact store (required with ASSAY_ARTIFACT_STORE=s3).',
  ),
  ASSAY_S3_PREFIX: variable(
    z
      .string()
      .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/?$/, 'must be a key prefix like "assay/" (no leading slash, no empty or dot segments)')
      .optional(),
    'Key prefix of the S3 artifact store ("assay/"): objects go to assay/sha256/<hex>. Unset: the bucket root.',
  ),
  ASSAY_S3_ENDPOINT: variable(
    z.url({ protocol: /^https?$/ }).optional(),
    'Endpoint of an S3-compatible service (MinIO, Ceph, ...). Unset: AWS S3 of ASSAY_S3_REGION.',
  ),
  ASSAY_S3_REGION: variable(
    z.string().regex(/^[a-z0-9-]+$/, 'must be a region name like eu-central-1').optional(),
    'Region of the bucket. Unset: the AWS SDK chain (AWS_REGION, ~/.aws/config); us-east-1 with ASSAY_S3_ENDPOINT.',
  ),
  ASSAY_S3_FORCE_PATH_STYLE: variable(
    z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
    'Address the bucket in the path (endpoint/bucket/key) instead of the host name: usually needed with ASSAY_S3_ENDPOINT (MinIO).',
  ),
  AWS_ACCESS_KEY_ID: variable(
    z.string().min(1).optional(),
    'S3 access key id, with AWS_SECRET_ACCESS_KEY. Unset: the AWS SDK default chain (shared config, SSO, web identity, ECS/EC2 roles).',
    true,
  ),
  AWS_SECRET_ACCESS_KEY: variable(z.string().min(1).optional(), 'S3 secret access key, with AWS_ACCESS_KEY_ID.', true),
  AWS_SESSION_TOKEN: variable(z.string().min(1).optional(), 'Session token of temporary S3 credentials (with the two above).', true),
  ASSAY_API_URL: variable(
    z.url({ protocol: /^https?$/ }).optional(),
    'Where client commands (`assay train`) reach the API. Unset: http://localhost:<PORT>.',
  ),
  ASSAY_API_TOKEN: variable(z.string().min(1).optional(), 'API token (or session token) client commands such as `assay train` send.', true),
} satisfies Record<string, ConfigVariable>;

export type ConfigKey = keyof typeof CONFIG_VARIABLES;
export type AssayConfig = { readonly [K in ConfigKey]: z.output<(typeof CONFIG_VARIABLES)[K]['schema']> };

/**
 * Rules across variables, checked once every variable is valid on its own. A broken rule names the
 * variable to set or fix, like any other configuration problem (exit 78).
 */
export const CONFIG_RULES: ((config: AssayConfig) => { variable: ConfigKey; problem: string } | undefined)[] = [
  (config) =>
    config.ASSAY_ARTIFACT_STORE === 's3' && !config.ASSAY_S3_BUCKET
      ? { variable: 'ASSAY_S3_BUCKET', problem: 'is required with ASSAY_ARTIFACT_STORE=s3' }
      : undefined,
  (config) =>
    !config.AWS_ACCESS_KEY_ID !== !config.AWS_SECRET_ACCESS_KEY
      ? {
          variable: config.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID',
          problem: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set together',
        }
      : undefined,
];
