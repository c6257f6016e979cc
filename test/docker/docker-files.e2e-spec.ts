/**
 * Static checks of docker/: the Dockerfile, the compose file and the collector configuration are
 * parsed and checked against the repository (CLI commands, configuration variables, files copied into
 * the image). No Docker engine. The health-check scripts of app and worker are run here with Node,
 * against a local HTTP server and the test Redis (ASSAY_TEST_REDIS_URL, default redis://127.0.0.1:6379).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, posix, resolve } from 'node:path';
import { Script } from 'node:vm';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, type ConfigKey } from '../../src/platform/config/config.schema';

const ROOT = resolve(__dirname, '../..');
const DOCKER_DIR = join(ROOT, 'docker');
const read = (...parts: string[]) => readFileSync(join(ROOT, ...parts), 'utf8');

/** YAML 1.2 with merge keys (`<<`), which Compose supports and the compose file uses. */
const parseYaml = (text: string): unknown => parse(text, { merge: true });

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
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
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
  const expandArgs = (value: string) => value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => argDefaults[name] ?? '');

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
      for (const copy of stage.instructions.filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.from)) {
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
    const copyOf = (target: string) => inFinal('COPY').find((c) => c.flags.from && words(c.args).some((w) => w.replace(/\/$/, '').endsWith(target)));

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

type Volume = string | { type: string; source?: string; target: string; read_only?: boolean };

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: Volume[];
  ports?: (string | number)[];
  healthcheck?: { test?: string[] | string; disable?: boolean; interval?: string; timeout?: string; retries?: number };
  profiles?: string[];
  restart?: string;
  init?: boolean;
  deploy?: { replicas?: number | string };
  container_name?: string;
  stop_signal?: string;
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

interface CollectorConfig {
  extensions?: Record<string, { endpoint?: string } | null>;
  receivers: Record<string, { protocols?: Record<string, { endpoint?: string } | null> } | null>;
  processors?: Record<string, unknown>;
  exporters: Record<string, unknown>;
  service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
}

const ASSAY_SERVICES = ['migrate', 'app', 'worker'];
/** Long-running Assay processes: they share settings, the data volume and the artifact store. */
const ASSAY_PROCESSES = ['app', 'worker'];

/** Command names registered with nest-commander under src/cli/commands. */
function cliCommands(): string[] {
  const dir = join(ROOT, 'src', 'cli', 'commands');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/@Command\(\{\s*name:\s*'([^']+)'/g)) names.push(m[1]!);
  }
  return names;
}

/** Compose durations (`1m30s`, `2m`, `500ms`) in milliseconds. */
function durationMs(value: string | undefined): number {
  if (!value) return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  let total = 0;
  const rest = value.replace(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g, (_, n: string, unit: string) => {
    total += Number(n) * units[unit]!;
    return '';
  });
  if (rest !== '') throw new Error(`not a compose duration: ${value}`);
  return total;
}

/** Runs a `node -e` health-check script as Docker would (from the image's WORKDIR, here the repository root). */
function runHealthScript(script: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
  });
}

describe('docker/compose.yaml', () => {
  const raw = parseYaml(read('docker', 'compose.yaml')) as ComposeFile;
  const compose = interpolateDeep(raw);
  const services = compose.services;
  const names = Object.keys(services);
  const dependsOn = (s: Service): Record<string, { condition: string }> =>
    Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }])) : (s.depends_on ?? {});
  const commandOf = (s: Service) => (typeof s.command === 'string' ? words(s.command) : (s.command ?? []));
  const healthTest = (s: Service) => (s.healthcheck?.disable ? undefined : s.healthcheck?.test);
  const isOneOff = (s: Service) => s.restart === 'no';
  const mounts = (s: Service) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`));
  /** The health-check script of a `CMD node -e <script>` test. */
  const nodeScript = (s: Service) => {
    const test = healthTest(s) as string[];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(() => new Script(test[3]!)).not.toThrow();
    return test[3]!;
  };

  it('parses, with YAML merge keys applied and every variable defaulted; the whole stack starts by default', () => {
    expect(JSON.stringify(raw)).not.toContain('"<<"');
    expect([...names].sort()).toEqual(['app', 'migrate', 'otel-collector', 'otel-probe', 'postgres', 'redis', 'worker']);
    // No profiles: API, workers, Redis and the collector are one deployment.
    for (const name of names) expect({ name, profiles: services[name]!.profiles }).toEqual({ name, profiles: undefined });
  });

  it('pins every image it pulls to a version (no latest, no bare major)', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, image: service.image }).toEqual({ name, image: expect.any(String) });
      if (service.build) continue; // the Assay image, built from this repository
      const image = service.image!;
      const pinned = /@sha256:[0-9a-f]{64}$/.test(image) || /:(v?\d+\.\d+(\.\d+)?)(-[a-z0-9.-]+)?$/.test(image);
      expect({ name, image, pinned }).toEqual({ name, image, pinned: true });
    }
  });

  it('depends only on services that exist, with conditions they can meet', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(dependsOn(service))) {
        expect({ name, target, exists: names.includes(target) }).toEqual({ name, target, exists: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect({ target, test: !!healthTest(services[target]!) }).toEqual({ target, test: true });
        if (condition === 'service_completed_successfully') expect(services[target]!.restart).toBe('no');
      }
    }
    expect(dependsOn(services.migrate!).postgres?.condition).toBe('service_healthy');
    for (const name of ASSAY_PROCESSES) {
      expect(dependsOn(services[name]!)).toMatchObject({
        postgres: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
        'otel-collector': { condition: expect.any(String) },
      });
    }
    expect(dependsOn(services['otel-collector']!)['otel-probe']?.condition).toBe('service_completed_successfully');
  });

  it('declares every named volume it mounts, and every bind mount exists', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Set<string>();
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        const isBind = typeof volume === 'string' ? /^[./~]/.test(source) : volume.type === 'bind';
        if (isBind) expect({ source, exists: existsSync(resolve(DOCKER_DIR, source)) }).toEqual({ source, exists: true });
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

  it('gives the Assay services commands that the CLI accepts; migrate grants the role app and worker use', () => {
    expect(cliCommands()).toEqual(expect.arrayContaining(['serve', 'migrate', 'worker']));
    expect(commandOf(services.app!)).toEqual(['serve']);
    expect(commandOf(services.worker!)).toEqual(['worker']);
    const migrate = commandOf(services.migrate!);
    expect(migrate[0]).toBe('migrate');
    expect(read('src', 'cli', 'commands', 'migrate.command.ts')).toContain("flags: '--app-role <role>'");
    const role = migrate[migrate.indexOf('--app-role') + 1];
    for (const name of ASSAY_PROCESSES) expect(new URL(String(services[name]!.environment?.DATABASE_URL)).username).toBe(role);
  });

  it('declares the health of every service: a check for each long-running one, the exit status for one-off jobs', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, healthcheck: !!service.healthcheck }).toEqual({ name, healthcheck: true });
      if (isOneOff(service)) {
        // The image's HTTP check must not judge a job that exits; whoever needs it waits for its exit status.
        expect({ name, disable: service.healthcheck!.disable }).toEqual({ name, disable: true });
        const waiters = names.filter((other) => dependsOn(services[other]!)[name]?.condition === 'service_completed_successfully');
        expect({ name, waited: waiters.length > 0 }).toEqual({ name, waited: true });
      } else {
        expect({ name, test: Array.isArray(healthTest(service)) }).toEqual({ name, test: true });
        expect(service.restart).toBe('unless-stopped');
        for (const key of ['interval', 'timeout'] as const) expect(durationMs(service.healthcheck![key])).toBeGreaterThan(0);
      }
    }
    expect(JSON.stringify(healthTest(services.postgres!))).toContain('pg_isready');
    expect(healthTest(services.redis!)).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(nodeScript(services.app!)).toContain('/health');
    expect(nodeScript(services.worker!)).toContain('REDIS_URL');
  });

  describe('the health-check scripts, run with Node', () => {
    let server: Server;
    let status = 200;
    let port = 0;
    beforeAll(async () => {
      server = createServer((request, response) => {
        response.statusCode = request.url === '/health' ? status : 404;
        response.end('{}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('app: exits 0 while /health answers 200, 1 on 503 or when nothing listens, on the port the API listens on', async () => {
      const app = services.app!;
      const script = nodeScript(app);
      const appPort = String(app.environment?.PORT);
      expect(script).toContain(`http://127.0.0.1:${appPort}/health`);
      const pointed = script.replace(`127.0.0.1:${appPort}`, `127.0.0.1:${port}`);
      status = 200;
      expect(await runHealthScript(pointed, {})).toBe(0);
      status = 503;
      expect(await runHealthScript(pointed, {})).toBe(1);
      server.closeAllConnections();
      expect(await runHealthScript(script.replace(`127.0.0.1:${appPort}`, '127.0.0.1:1'), {})).toBe(1);
    }, 30_000);

    it('worker: exits 0 when its Redis answers PING, 1 when none answers', async () => {
      const script = nodeScript(services.worker!);
      expect(await runHealthScript(script, { REDIS_URL: process.env.ASSAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' })).toBe(0);
      expect(await runHealthScript(script, { REDIS_URL: 'redis://127.0.0.1:1' })).toBe(1);
    }, 30_000);
  });

  it('checks the collector through its health_check extension, with a static probe from the otel-probe job', () => {
    const collector = services['otel-collector']!;
    const test = healthTest(collector) as string[];
    const config = parseYaml(read('docker', 'otel-collector.yaml')) as CollectorConfig;
    const healthPort = /:(\d+)$/.exec(config.extensions?.health_check?.endpoint ?? '')?.[1];
    expect(healthPort).toBe('13133');
    expect(config.service.extensions).toContain('health_check');
    expect(test[0]).toBe('CMD');
    expect(test.join(' ')).toContain(`http://127.0.0.1:${healthPort}/`);
    // The probe binary comes from a volume the one-off job fills.
    const probe = services['otel-probe']!;
    const [probeVolume, probeDir] = mounts(probe)[0]!.split(':');
    expect(test[1]!.startsWith(`${probeDir}/`)).toBe(true);
    expect(commandOf(probe).at(-1)).toBe(test[1]);
    expect(mounts(collector)).toContain(`${probeVolume}:${probeDir}:ro`);
  });

  it('publishes the API port, and lets app and worker scale (replicas, no fixed container name)', () => {
    const app = services.app!;
    const port = String(app.environment?.PORT);
    expect(app.ports).toHaveLength(1);
    // A host port, or a range of them for several replicas, to the port the API listens on.
    expect(String(app.ports![0])).toMatch(new RegExp(`^(\\d+(-\\d+)?):${port}$`));
    for (const name of ASSAY_PROCESSES) {
      const replicas = Number(services[name]!.deploy?.replicas);
      expect({ name, replicas: Number.isInteger(replicas) && replicas >= 1 }).toEqual({ name, replicas: true });
      expect(services[name]!.container_name).toBeUndefined();
    }
    expect(Number(services.worker!.deploy?.replicas)).toBeGreaterThanOrEqual(2);
  });

  it('stops app and worker gracefully: SIGTERM through an init process, time to finish a batch', () => {
    for (const name of ASSAY_PROCESSES) {
      const service = services[name]!;
      expect({ name, init: service.init }).toEqual({ name, init: true });
      expect({ name, signal: service.stop_signal ?? 'SIGTERM' }).toEqual({ name, signal: 'SIGTERM' });
    }
    expect(durationMs(services.app!.stop_grace_period)).toBeGreaterThanOrEqual(30_000);
    // SIGTERM lets each run finish its current batch and hands it back (worker.command.ts).
    expect(read('src', 'cli', 'commands', 'worker.command.ts')).toContain("enableShutdownHooks(['SIGTERM'");
    expect(durationMs(services.worker!.stop_grace_period)).toBeGreaterThanOrEqual(60_000);
    expect(durationMs(services.postgres!.stop_grace_period)).toBeGreaterThanOrEqual(30_000);
  });

  it('passes the Assay processes only variables that Assay reads, and the secret ones only from the environment', () => {
    for (const name of ASSAY_SERVICES) {
      for (const [key, value] of Object.entries(raw.services[name]!.environment ?? {})) {
        expect({ service: name, key, known: key in CONFIG_VARIABLES }).toEqual({ service: name, key, known: true });
        if (!CONFIG_VARIABLES[key as ConfigKey].isSensitive) continue;
        // A secret is interpolated whole, or is a URL whose password (if any) is interpolated.
        const text = String(value);
        const whole = /^\$\{[A-Z_]+:-[^}]*\}$/.test(text);
        const password = /^[a-z]+:\/\/(?:\$\{[^}]*\}|[^:/@])+:((?:\$\{[^}]*\}|[^@])*)@/.exec(text)?.[1];
        const fromEnvironment = whole || password === undefined ? true : /^\$\{[A-Z_]+:-[^}]*\}$/.test(password);
        expect({ service: name, key, fromEnvironment }).toEqual({ service: name, key, fromEnvironment: true });
      }
    }
  });

  it('wires app and worker to Redis, the collector and one shared artifact store', () => {
    const collector = parseYaml(read('docker', 'otel-collector.yaml')) as CollectorConfig;
    const otlpHttpPort = /:(\d+)$/.exec(collector.receivers.otlp?.protocols?.http?.endpoint ?? '')?.[1];
    expect(otlpHttpPort).toBe('4318');
    const storeKeys = Object.keys(CONFIG_VARIABLES).filter((k) => /^(ASSAY_ARTIFACT_STORE|ASSAY_S3_|AWS_)/.test(k));
    expect(storeKeys).toEqual(expect.arrayContaining(['ASSAY_ARTIFACT_STORE', 'ASSAY_S3_BUCKET', 'AWS_SECRET_ACCESS_KEY']));
    for (const name of ASSAY_PROCESSES) {
      const env = services[name]!.environment ?? {};
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(`http://otel-collector:${otlpHttpPort}`);
      expect(env.ASSAY_DATA_DIR).toBe('/var/lib/assay');
      expect(mounts(services[name]!)).toContain('assay-data:/var/lib/assay');
      // Every artifact-store setting is passed through, the same for both.
      for (const key of storeKeys) expect({ name, key, value: env[key] }).toEqual({ name, key, value: services.app!.environment?.[key] });
    }
    expect(services.app!.environment?.ASSAY_ARTIFACT_STORE).toBe('filesystem');
    // The API queues runs and trains none; the workers train.
    expect(services.app!.environment?.ASSAY_RUN_WORKERS).toBe('0');
    expect(Number(services.worker!.environment?.ASSAY_RUN_WORKERS)).toBeGreaterThanOrEqual(1);
  });

  it('uses two database roles: the owner for migrations, assay_app for the API and workers', () => {
    const url = (name: string) => new URL(String(services[name]!.environment?.DATABASE_URL));
    expect(url('migrate').protocol).toBe('postgres:');
    expect(url('migrate').hostname).toBe('postgres');
    expect(url('migrate').username).toBe(String(services.postgres!.environment?.POSTGRES_USER));
    for (const name of ASSAY_PROCESSES) {
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
        if (/PASSWORD|SECRET/.test(key)) expect({ name, key, text }).toEqual({ name, key, text: fromEnvironment });
        if (!/^postgres(ql)?:/.test(text)) continue;
        const credentials = /^postgres(?:ql)?:\/\/(?:\$\{[^}]*\}|[^:/@])+:((?:\$\{[^}]*\}|[^@])*)@/.exec(text);
        expect({ name, key, password: credentials?.[1] }).toEqual({ name, key, password: fromEnvironment });
        urls++;
      }
    }
    expect(urls).toBe(3);
  });

  it('mounts a collector config with an OTLP receiver, a batch processor and an exporter in every pipeline', () => {
    const collector = services['otel-collector']!;
    expect(collector.image).toMatch(/^otel\/opentelemetry-collector(-contrib)?:/);
    // Each distribution reads its own default path.
    const path = collector.image!.includes('-contrib') ? '/etc/otelcol-contrib/config.yaml' : '/etc/otelcol/config.yaml';
    expect(mounts(collector)).toContain(`./otel-collector.yaml:${path}:ro`);
    const config = parseYaml(read('docker', 'otel-collector.yaml')) as CollectorConfig;
    expect(config.receivers.otlp?.protocols?.http?.endpoint).toBe('0.0.0.0:4318');
    expect(Object.keys(config.processors ?? {})).toContain('batch');
    expect(Object.keys(config.exporters).some((e) => e === 'debug' || e.startsWith('debug/'))).toBe(true);
    expect(Object.keys(config.service.pipelines)).toContain('traces');
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      expect({ name, otlp: pipeline.receivers.includes('otlp') }).toEqual({ name, otlp: true });
      expect({ name, batch: pipeline.processors?.includes('batch') }).toEqual({ name, batch: true });
      // memory_limiter, where used, comes first (the collector's recommendation).
      if (pipeline.processors?.includes('memory_limiter')) expect(pipeline.processors[0]).toBe('memory_limiter');
      expect(pipeline.exporters.length).toBeGreaterThan(0);
      for (const r of pipeline.receivers) expect(Object.keys(config.receivers)).toContain(r);
      for (const p of pipeline.processors ?? []) expect(Object.keys(config.processors ?? {})).toContain(p);
      for (const e of pipeline.exporters) expect(Object.keys(config.exporters)).toContain(e);
    }
    for (const e of config.service.extensions ?? []) expect(Object.keys(config.extensions ?? {})).toContain(e);
  });

  it('is documented in docker/README.md with the commands it tells users to run', () => {
    const readme = read('docker', 'README.md');
    expect(readme).toContain('docker compose -f docker/compose.yaml up --build');
    expect(readme).toContain('docker build -f docker/Dockerfile');
    expect(readme).toContain('--scale worker=');
    for (const name of names) expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });
});
