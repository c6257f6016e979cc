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
  ASSAY_POLICIES_DIR: variable(
    z.string().min(1).default('policies'),
    'Folder of policy packs (one sub-folder each), validated at start: an invalid pack stops the process naming the file and line.',
  ),
  ASSAY_API_URL: variable(
    z.url({ protocol: /^https?$/ }).optional(),
    'Where client commands (`assay train`) reach the API. Unset: http://localhost:<PORT>.',
  ),
  ASSAY_API_TOKEN: variable(z.string().min(1).optional(), 'API token (or session token) client commands such as `assay train` send.', true),
} satisfies Record<string, ConfigVariable>;

export type ConfigKey = keyof typeof CONFIG_VARIABLES;
export type AssayConfig = { readonly [K in ConfigKey]: z.output<(typeof CONFIG_VARIABLES)[K]['schema']> };
