/**
 * Static checks of docker/: the Dockerfile and the compose file are parsed and checked against the
 * repository (CLI commands, configuration variables, files copied into the image). No Docker engine,
 * no network, no database.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { Script } from 'node:vm';
import * as jsYaml from 'js-yaml';
import { CONFIG_VARIABLES } from '../../src/platform/config/config.schema';

const ROOT = resolve(__dirname, '../..');
const DOCKER_DIR = join(ROOT, 'docker');
const read = (...parts: string[]) => readFileSync(join(ROOT, ...parts), 'utf8');

// ---------------------------------------------------------------------------------------------------
// YAML: js-yaml is present through @nestjs/swagger. js-yaml 5 needs merge keys (`<<`, used by the
// compose file and supported by Compose) switched on; js-yaml 4 has them on by default.

type YamlModule = {
  load(text: string, options?: object): unknown;
  CORE_SCHEMA?: { withTags?: (...tags: unknown[]) => unknown };
  mergeTag?: unknown;
};

function parseYaml(text: string): unknown {
  const yaml = jsYaml as unknown as YamlModule;
  const schema = yaml.mergeTag && yaml.CORE_SCHEMA?.withTags ? yaml.CORE_SCHEMA.withTags(yaml.mergeTag) : undefined;
  return yaml.load(text, schema ? { schema } : undefined);
}

/** Compose interpolation with the file's own defaults only (the environment is ignored, so results are stable). */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, _name, op, arg) => {
    if (match === '$$') return '$';
    if (op === ':-' || op === '-') return arg as string;
    throw new Error(`${match} has no default: the compose file must work with an empty environment`);
  });
}

function interpolateDeep<T>(value: T): T {
  if (typeof value === 'string') return interpolate(value) as T;
  if (Array.isArray(value)) return value.map(interpolateDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v)])) as T;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// A small Dockerfile parser: comments, blank lines, `\` continuations, flags, JSON (exec) form.

interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  args: string;
  /** The arguments as a JSON array (exec form), or null in shell form. */
  json: string[] | null;
  line: number;
}

interface Stage {
  name: string | undefined;
  base: string;
  index: number;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let buffer = '';
  let startLine = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('#')) return; // comments (and parser directives), also inside continuations
    if (!buffer && !line) return;
    if (!buffer) startLine = i + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1).trim()} `;
      return;
    }
    buffer += line;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(buffer.trim());
    buffer = '';
    if (!match) return;
    let rest = match[2] ?? '';
    const flags: Record<string, string> = {};
    for (let flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); flag; flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
      flags[flag[1]!] = flag[2] ?? 'true';
      rest = rest.slice(flag[0].length);
    }
    let json: string[] | null = null;
    if (rest.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(rest);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) json = parsed;
      } catch {
        json = null;
      }
    }
    instructions.push({ keyword: match[1]!.toUpperCase(), flags, args: rest, json, line: startLine });
  });
  if (buffer) throw new Error(`Dockerfile ends inside a continuation: ${buffer}`);

  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [base, as, name, ...extra] = instruction.args.split(/\s+/);
      if (extra.length > 0 || (as !== undefined && as.toUpperCase() !== 'AS')) {
        throw new Error(`line ${instruction.line}: unexpected FROM ${instruction.args}`);
      }
      stages.push({ name: name?.toLowerCase(), base: base!, index: stages.length, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG')
        throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
      globalArgs.push(instruction);
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** Splits shell-form arguments on whitespace (enough for COPY sources and destinations). */
const words = (args: string) => args.split(/\s+/).filter(Boolean);

/** .dockerignore pattern → RegExp (`**`, `*`, `?`; patterns are relative to the context root). */
function ignorePatternToRegExp(pattern: string): RegExp {
  const clean = posix.normalize(pattern.replace(/^\/+/, '')).replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (c === '*' && clean[i + 1] === '*' && clean[i + 2] === '/') {
      source += '(?:.*/)?';
      i += 2;
    } else if (c === '*' && clean[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

// ---------------------------------------------------------------------------------------------------

describe('docker/Dockerfile', () => {
  const text = read('docker', 'Dockerfile');
  const { globalArgs, stages } = parseDockerfile(text);
  const finalStage = stages[stages.length - 1]!;
  const inFinal = (keyword: string) => finalStage.instructions.filter((i) => i.keyword === keyword);
  const argDefaults = Object.fromEntries(
    globalArgs.map((a) => {
      const [name, value] = a.args.split('=', 2);
      return [name!.trim(), (value ?? '').trim()];
    }),
  );
  const expandArgs = (value: string) =>
    value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => argDefaults[name] ?? '');

  it('is multi-stage, every stage named, names unique', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage.name).toMatch(/^[a-z][a-z0-9_.-]*$/);
    expect(new Set(stages.map((s) => s.name)).size).toBe(stages.length);
  });

  it('bases every stage on Node.js 20 (bookworm-slim), directly or through an earlier stage', () => {
    for (const stage of stages) {
      const base = expandArgs(stage.base);
      const earlier = stages.slice(0, stage.index).map((s) => s.name);
      if (earlier.includes(base)) continue;
      expect(base).toBe('node:20-bookworm-slim');
    }
  });

  it('names only earlier stages in COPY --from and FROM', () => {
    stages.forEach((stage, index) => {
      const earlier = stages.slice(0, index).map((s) => s.name);
      const all = stages.map((s) => s.name);
      if (all.includes(stage.base)) expect(earlier).toContain(stage.base);
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' && i.flags.from)) {
        expect(earlier).toContain(copy.flags.from);
      }
    });
  });

  it('copies from the context only files that exist and that the .dockerignore does not exclude', () => {
    const ignore = read('docker', 'Dockerfile.dockerignore')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore.some((p) => p.startsWith('!'))).toBe(false); // keep the matcher below honest
    const ignored = (path: string) => {
      const parts = posix.normalize(path).split('/');
      return ignore.some((p) => parts.some((_, i) => ignorePatternToRegExp(p).test(parts.slice(0, i + 1).join('/'))));
    };
    for (const pattern of ['node_modules', 'dist', 'data', '.git', 'coverage']) expect(ignored(pattern)).toBe(true);
    expect(ignored('src/node_modules')).toBe(true);

    const sources: string[] = [];
    for (const stage of stages) {
      for (const copy of stage.instructions.filter(
        (i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.from,
      )) {
        expect(copy.keyword).toBe('COPY'); // ADD fetches URLs and unpacks archives: not wanted here
        const parts = copy.json ?? words(copy.args);
        expect(parts.length).toBeGreaterThanOrEqual(2);
        sources.push(...parts.slice(0, -1));
      }
    }
    for (const source of sources) {
      expect(source.startsWith('/') || source.includes('..')).toBe(false);
      expect(ignored(source.replace(/\[(.)\]/g, '$1'))).toBe(false);
      if (/[*?[]/.test(source)) {
        // BuildKit accepts a wildcard that matches nothing; `policie[s]` is how the optional policies
        // directory is copied (it is empty, and absent from a fresh clone, until policy packs exist).
        continue;
      }
      expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
    }
    for (const expected of ['package.json', 'package-lock.json', 'src', 'migrations', 'bin']) {
      expect(sources).toContain(expected);
    }
    expect(sources.some((s) => /^tsconfig.*\.json$/.test(s))).toBe(true);
    expect(sources.some((s) => s.startsWith('policie'))).toBe(true);
  });

  it('builds with all dependencies but ships only the production ones', () => {
    const stageByName = new Map(stages.map((s) => [s.name, s]));
    const runsOf = (stage: Stage | undefined): string[] => {
      if (!stage) return [];
      const own = stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
      return [...runsOf(stageByName.get(stage.base)), ...own];
    };
    const copyOf = (target: string) =>
      inFinal('COPY').find((c) => c.flags.from && words(c.args).some((w) => w.replace(/\/$/, '').endsWith(target)));

    const modules = copyOf('node_modules');
    expect(modules).toBeDefined();
    const moduleRuns = runsOf(stageByName.get(modules!.flags.from));
    expect(moduleRuns.some((r) => /npm (ci|prune)\b.*--omit=dev/.test(r))).toBe(true);

    const dist = copyOf('dist');
    expect(dist).toBeDefined();
    expect(runsOf(stageByName.get(dist!.flags.from)).some((r) => /npm run build\b/.test(r))).toBe(true);
    // The build stage installs dev dependencies (TypeScript): no --omit=dev on its npm ci.
    expect(runsOf(stageByName.get(dist!.flags.from)).some((r) => /npm ci\b(?!.*--omit=dev)/.test(r))).toBe(true);
  });

  it('runs as the non-root user node', () => {
    const users = inFinal('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]!.args).toBe('node');
    const entrypoint = inFinal('ENTRYPOINT')[0]!;
    expect(users[users.length - 1]!.line).toBeLessThan(entrypoint.line);
  });

  it('sets production env, the data directory as a volume owned by node, WORKDIR and the port', () => {
    const env = inFinal('ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/(^|\s)NODE_ENV=production(\s|$)/);
    expect(env).toMatch(/(^|\s)ASSAY_DATA_DIR=\/var\/lib\/assay(\s|$)/);
    expect(inFinal('WORKDIR').map((i) => i.args)).toContain('/app');
    const volume = inFinal('VOLUME')[0]!;
    expect(volume.json ?? words(volume.args)).toEqual(['/var/lib/assay']);
    const chown = inFinal('RUN').find((r) => /chown\s+node:node\s+\/var\/lib\/assay\b/.test(r.args));
    expect(chown).toBeDefined();
    expect(chown!.line).toBeLessThan(volume.line); // later changes to a VOLUME path are discarded
    expect(inFinal('EXPOSE').map((i) => i.args)).toContain('3000');
  });

  it('has a HEALTHCHECK on /health that needs only node', () => {
    const checks = inFinal('HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const check = checks[0]!;
    expect(check.args.startsWith('CMD')).toBe(true);
    const command = check.args.replace(/^CMD\s+/, '');
    const argv = JSON.parse(command) as string[];
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    expect(argv[2]).toContain('/health');
    expect(argv[2]).toContain('process.env.PORT');
    for (const flag of ['interval', 'timeout', 'start-period', 'retries']) expect(check.flags[flag]).toBeDefined();
    // The script must at least compile (it is not run here).
    expect(() => new Script(argv[2]!)).not.toThrow();
  });

  it('enters through the compiled CLI in exec form, serving by default', () => {
    const entrypoints = inFinal('ENTRYPOINT');
    expect(entrypoints).toHaveLength(1);
    expect(entrypoints[0]!.json).toEqual(['node', 'dist/src/cli/main.js']);
    expect(inFinal('CMD')[0]?.json).toEqual(['serve']);
    // The same entry point that `npm start` and bin/assay.js use, compiled from src/cli/main.ts.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toContain('dist/src/cli/main.js');
    expect(read('bin', 'assay.js')).toContain('../dist/src/cli/main.js');
    expect(existsSync(join(ROOT, 'src', 'cli', 'main.ts'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: (string | { type: string; source?: string; target: string })[];
  ports?: (string | number)[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  profiles?: string[];
  restart?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Every variable the Assay processes may be given (issue brief); the first two are read by later issues. */
const ALLOWED_ENV = [
  'PORT',
  'HOST',
  'ASSAY_DATA_DIR',
  'DATABASE_URL',
  'ASSAY_LOG_LEVEL',
  'REDIS_URL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'ASSAY_DB_POOL_SIZE',
];
const NOT_YET_IN_CONFIG = ['REDIS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT'];
/** CLI commands that a profile may already name before they exist (the profile stays off until then). */
const PLANNED_COMMANDS = ['worker'];
const ASSAY_SERVICES = ['migrate', 'app', 'worker'];

/** Command names registered with nest-commander under src/cli/commands. */
function cliCommands(): string[] {
  const dir = join(ROOT, 'src', 'cli', 'commands');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/@Command\(\{\s*name:\s*'([^']+)'/g))
      names.push(m[1]!);
  }
  return names;
}

describe('docker/compose.yaml', () => {
  const rawText = read('docker', 'compose.yaml');
  const raw = parseYaml(rawText) as ComposeFile;
  const compose = interpolateDeep(raw);
  const services = compose.services;
  const names = Object.keys(services);
  const dependsOn = (s: Service): Record<string, { condition: string }> =>
    Array.isArray(s.depends_on)
      ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }]))
      : (s.depends_on ?? {});
  const commandOf = (s: Service) => (typeof s.command === 'string' ? words(s.command) : (s.command ?? []));
  const healthTest = (s: Service) => (s.healthcheck?.disable ? undefined : s.healthcheck?.test);

  it('parses, with YAML merge keys applied and every variable defaulted', () => {
    expect(JSON.stringify(raw)).not.toContain('"<<"');
    expect([...names].sort()).toEqual(['app', 'migrate', 'otel-collector', 'postgres', 'redis', 'worker']);
  });

  it('depends only on services that exist, with conditions they can meet', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(dependsOn(service))) {
        expect({ name, target, exists: names.includes(target) }).toEqual({ name, target, exists: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy')
          expect({ target, test: !!healthTest(services[target]!) }).toEqual({ target, test: true });
        if (condition === 'service_completed_successfully') expect(services[target]!.restart).toBe('no');
        // A service that starts by default cannot wait for one that a profile keeps off.
        if (!service.profiles?.length)
          expect({ name, target, profiles: services[target]!.profiles }).toEqual({ name, target, profiles: undefined });
      }
    }
    expect(dependsOn(services.migrate!).postgres?.condition).toBe('service_healthy');
    expect(dependsOn(services.app!).migrate?.condition).toBe('service_completed_successfully');
    expect(dependsOn(services.worker!).migrate?.condition).toBe('service_completed_successfully');
  });

  it('declares every named volume it mounts, and every bind mount exists', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set<string>();
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        const isBind = typeof volume === 'string' ? /^[./~]/.test(source) : volume.type === 'bind';
        if (isBind)
          expect({ source, exists: existsSync(resolve(DOCKER_DIR, source)) }).toEqual({ source, exists: true });
        else if (source) used.add(source);
      }
    }
    for (const volume of used) expect(declared).toContain(volume);
    for (const volume of declared) expect([...used]).toContain(volume);
  });

  it('runs migrate, app and worker from one image built from the repository root', () => {
    const [first, ...others] = ASSAY_SERVICES.map((n) => services[n]!);
    expect(first!.image).toBeTruthy();
    expect(first!.build).toBeDefined();
    for (const other of others) {
      expect(other.image).toBe(first!.image);
      expect(other.build).toEqual(first!.build);
    }
    const context = resolve(DOCKER_DIR, first!.build!.context);
    expect(context).toBe(ROOT);
    expect(resolve(context, first!.build!.dockerfile)).toBe(join(DOCKER_DIR, 'Dockerfile'));
  });

  it('gives the Assay services commands that the CLI accepts', () => {
    const known = cliCommands();
    expect(known).toEqual(expect.arrayContaining(['serve', 'migrate']));
    expect(commandOf(services.migrate!)).toEqual(['migrate']);
    expect(commandOf(services.app!)).toEqual(['serve']);
    expect(commandOf(services.worker!)).toEqual(['worker']);
    for (const name of ASSAY_SERVICES) {
      const [command] = commandOf(services[name]!);
      if (known.includes(command!)) continue;
      // Not a command yet: only allowed for a planned one, in a service that a profile keeps off.
      expect(PLANNED_COMMANDS).toContain(command);
      expect(services[name]!.profiles?.length).toBeGreaterThan(0);
    }
  });

  it('publishes the API port and checks its health on the port it listens on', () => {
    const app = services.app!;
    const port = String(app.environment?.PORT ?? 3000);
    expect(app.ports).toEqual([`3000:${port}`]);
    const test = healthTest(app);
    expect(Array.isArray(test)).toBe(true);
    expect((test as string[]).join(' ')).toContain(`127.0.0.1:${port}/health`);
  });

  it('has health checks where something waits on health, and none that cannot work', () => {
    for (const name of ['postgres', 'redis', 'app'])
      expect({ name, test: !!healthTest(services[name]!) }).toEqual({ name, test: true });
    expect(JSON.stringify(healthTest(services.postgres!))).toContain('pg_isready');
    // Not HTTP servers: the image's /health check is switched off for them.
    for (const name of ['migrate', 'worker']) expect(services[name]!.healthcheck?.disable).toBe(true);
  });

  it('passes the Assay processes only variables that Assay reads', () => {
    for (const name of ASSAY_SERVICES) {
      for (const key of Object.keys(services[name]!.environment ?? {})) {
        expect({ service: name, key, allowed: ALLOWED_ENV.includes(key) }).toEqual({
          service: name,
          key,
          allowed: true,
        });
        if (!NOT_YET_IN_CONFIG.includes(key)) expect(Object.keys(CONFIG_VARIABLES)).toContain(key);
      }
    }
    expect(services.app!.environment?.ASSAY_DATA_DIR).toBe('/var/lib/assay');
    expect(services.app!.volumes).toContain('assay-data:/var/lib/assay');
  });

  it('uses two database roles: the owner for migrations, assay_app for the API and workers', () => {
    const url = (name: string) => new URL(String(services[name]!.environment?.DATABASE_URL));
    expect(url('migrate').protocol).toBe('postgres:');
    expect(url('migrate').hostname).toBe('postgres');
    expect(url('migrate').username).toBe(String(services.postgres!.environment?.POSTGRES_USER));
    for (const name of ['app', 'worker']) {
      expect(url(name).username).toBe('assay_app');
      expect(url(name).pathname).toBe(url('migrate').pathname);
    }
    expect(read('docker', 'postgres-init', '01-roles.sql')).toMatch(/CREATE ROLE assay_app LOGIN/);
    expect(services.postgres!.volumes).toContain('./postgres-init:/docker-entrypoint-initdb.d:ro');
  });

  it('takes every password from the environment (with a local-trial default), none written out', () => {
    const fromEnvironment = expect.stringMatching(/^\$\{[A-Z_]+:-[^}]*\}$/);
    let urls = 0;
    for (const [name, service] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        const text = String(value);
        if (/PASSWORD/.test(key)) expect({ name, key, text }).toEqual({ name, key, text: fromEnvironment });
        if (!/^postgres(ql)?:/.test(text)) continue;
        const credentials = /^postgres(?:ql)?:\/\/(?:\$\{[^}]*\}|[^:/@])+:((?:\$\{[^}]*\}|[^@])*)@/.exec(text);
        expect({ name, key, password: credentials?.[1] }).toEqual({ name, key, password: fromEnvironment });
        urls++;
      }
    }
    expect(urls).toBe(3);
  });

  it('keeps Redis and workers behind the "workers" profile and the collector behind "observability"', () => {
    expect(services.worker!.profiles).toEqual(['workers']);
    expect(services.redis!.profiles).toEqual(['workers']);
    expect(services['otel-collector']!.profiles).toEqual(['observability']);
    for (const name of ['postgres', 'migrate', 'app']) expect(services[name]!.profiles).toBeUndefined();
    expect(services.worker!.environment?.REDIS_URL).toBe('redis://redis:6379');
    // Empty means unset for Assay: the API keeps its in-process queue unless REDIS_URL is given.
    expect(services.app!.environment?.REDIS_URL).toBe('');
  });

  it('mounts a collector config with OTLP over gRPC and HTTP and a debug exporter', () => {
    const mount = (services['otel-collector']!.volumes ?? []).find(
      (v) => typeof v === 'string' && v.includes('otel-collector.yaml'),
    );
    expect(mount).toBe('./otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro');
    const config = parseYaml(read('docker', 'otel-collector.yaml')) as {
      receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
      exporters: Record<string, unknown>;
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    };
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(Object.keys(config.exporters)).toContain('debug');
    expect(Object.keys(config.service.pipelines).sort()).toEqual(['logs', 'metrics', 'traces']);
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const r of pipeline.receivers) expect(Object.keys(config.receivers)).toContain(r);
      for (const e of pipeline.exporters) expect(Object.keys(config.exporters)).toContain(e);
    }
  });

  it('is documented in docker/README.md with the command it tells users to run', () => {
    const readme = read('docker', 'README.md');
    expect(readme).toContain('docker compose -f docker/compose.yaml up --build');
    expect(readme).toContain('docker build -f docker/Dockerfile');
  });
});
