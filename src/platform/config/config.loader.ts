import { CONFIG_RULES, CONFIG_VARIABLES, type AssayConfig, type ConfigKey } from './config.schema';

export class ConfigInvalidError extends Error {
  constructor(readonly problems: { variable: ConfigKey; problem: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n')}`);
    this.name = 'ConfigInvalidError';
  }
}

const keys = Object.keys(CONFIG_VARIABLES) as ConfigKey[];

/** Validates the environment once; throws a ConfigInvalidError naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AssayConfig {
  const values: Record<string, unknown> = {};
  const problems: { variable: ConfigKey; problem: string }[] = [];
  for (const key of keys) {
    const raw = env[key];
    const parsed = CONFIG_VARIABLES[key].schema.safeParse(raw === '' ? undefined : raw);
    if (parsed.success) values[key] = parsed.data;
    else {
      const shown = CONFIG_VARIABLES[key].isSensitive ? '(value hidden)' : JSON.stringify(raw);
      problems.push({ variable: key, problem: `${parsed.error.issues.map((i) => i.message).join('; ')} — got ${shown}` });
    }
  }
  if (problems.length === 0) {
    for (const rule of CONFIG_RULES) {
      const broken = rule(values as AssayConfig);
      if (broken) problems.push(broken);
    }
  }
  if (problems.length > 0) throw new ConfigInvalidError(problems);
  return Object.freeze(values) as AssayConfig;
}

export interface ConfigInventoryRow {
  variable: ConfigKey;
  value: string;
  isSensitive: boolean;
  isDefault: boolean;
  description: string;
}

/** The settings inventory, secrets masked: what `assay config` and `GET /config` show. */
export function describeConfig(config: AssayConfig): ConfigInventoryRow[] {
  return keys.map((key) => {
    const { schema, isSensitive, description } = CONFIG_VARIABLES[key];
    const value = config[key];
    const shown = value === undefined ? '' : isSensitive ? '********' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const isDefault = schema.safeParse(undefined).data === value;
    return { variable: key, value: shown, isSensitive, isDefault, description };
  });
}
