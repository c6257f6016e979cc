/**
 * bench:pg-restart — what clients see while PostgreSQL restarts under an `assay serve` child:
 * steady load (reads and ledger-recording writes) before, during and after a restart of the
 * machine's PostgreSQL cluster, counting 2xx, 503 DATABASE_UNAVAILABLE and anything else in each
 * phase, and checking that Assay serves again by itself (same process, no restart). PostgreSQL is
 * started again in every case, failure included.
 *
 * RESTARTS THE MACHINE'S POSTGRESQL: every other client of it is cut off too. Needs root (or the
 * cluster owner) and pg_ctlcluster (Debian/Ubuntu postgresql-common).
 *
 *   npm run bench:pg-restart [-- pauseSeconds=0 connections=10]
 *     pauseSeconds 0: `pg_ctlcluster … restart`; > 0: stop, wait that long, start (a longer outage)
 *   ASSAY_BENCH_PG_CLUSTER=15/main selects the cluster (default: the one under /etc/postgresql)
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { api, benchDatabase, serve, type BenchDatabase, type RunningServer } from './support/assay-server';

const run = promisify(execFile);
const [pauseSeconds = 0, connections = 10] = process.argv.slice(2).map(Number);
const STEADY_MS = 3000;
const REQUEST_TIMEOUT_MS = 20_000;

function cluster(): [string, string] {
  const named = process.env.ASSAY_BENCH_PG_CLUSTER;
  if (named) return named.split('/') as [string, string];
  const versions = readdirSync('/etc/postgresql');
  if (versions.length !== 1)
    throw new Error(`found PostgreSQL versions ${versions.join(', ')} under /etc/postgresql: set ASSAY_BENCH_PG_CLUSTER=<version>/<cluster>`);
  return [versions[0]!, 'main'];
}

const pgCtl = (action: 'restart' | 'stop' | 'start') => run('pg_ctlcluster', ['--skip-systemctl-redirect', ...cluster(), action]);
const pgIsReady = () =>
  run('pg_isready', ['-h', '127.0.0.1']).then(
    () => true,
    () => false,
  );

/** Starts PostgreSQL if it is not accepting connections, and waits until it does. */
async function ensurePostgresUp(): Promise<void> {
  if (await pgIsReady()) return;
  console.log('PostgreSQL is down: starting it again');
  await pgCtl('start').catch((error: unknown) => console.error(`pg_ctlcluster start: ${String(error)}`));
  for (let i = 0; i < 60 && !(await pgIsReady()); i++) await new Promise((r) => setTimeout(r, 500));
  console.log((await pgIsReady()) ? 'PostgreSQL is accepting connections' : 'PostgreSQL is STILL DOWN: start it by hand');
}

/** '2xx', '503 DATABASE_UNAVAILABLE', or the status and code (or failure) of anything else. */
type Outcome = string;

interface Sample {
  at: number;
  outcome: Outcome;
}

/** `connections` loops alternating a read (GET /datasets) and a ledger-recording write (POST /datasets) until stopped. */
function steadyLoad(url: string, token: string): { samples: Sample[]; stop: () => Promise<void> } {
  const samples: Sample[] = [];
  let stopped = false;
  let n = 0;
  const once = async (write: boolean): Promise<Outcome> => {
    try {
      const response = await fetch(`${url}/datasets${write ? '' : '?limit=20'}`, {
        method: write ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(write ? { body: JSON.stringify({ name: `restart-${n++}` }) } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) return '2xx';
      const code = (JSON.parse(text || '{}') as { error?: { code?: string } }).error?.code ?? '?';
      if (response.status === 503 && code === 'DATABASE_UNAVAILABLE') {
        if (response.headers.get('retry-after') === null) return '503 DATABASE_UNAVAILABLE without Retry-After';
        return '503 DATABASE_UNAVAILABLE';
      }
      return `${response.status} ${code}`;
    } catch (error) {
      return `no response (${(error as Error).name})`;
    }
  };
  const loop = async () => {
    for (let i = 0; !stopped; i++) samples.push({ at: Date.now(), outcome: await once(i % 2 === 1) });
  };
  const loops = Array.from({ length: connections }, loop);
  return {
    samples,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

function tally(samples: Sample[], from: number, to: number): string {
  const counts = new Map<string, number>();
  for (const sample of samples) if (sample.at >= from && sample.at < to) counts.set(sample.outcome, (counts.get(sample.outcome) ?? 0) + 1);
  const order = ['2xx', '503 DATABASE_UNAVAILABLE'];
  const keys = [...order.filter((k) => counts.has(k)), ...[...counts.keys()].filter((k) => !order.includes(k)).sort()];
  return keys.length === 0 ? 'no requests completed' : keys.map((k) => `${k}: ${counts.get(k)}`).join(', ');
}

async function main(): Promise<void> {
  if (!(await pgIsReady())) throw new Error('PostgreSQL is not accepting connections on 127.0.0.1 before the bench');
  let db: BenchDatabase | undefined;
  let server: RunningServer | undefined;
  try {
    db = await benchDatabase({ ASSAY_RUN_WORKERS: '0' });
    const token = await db.token('engineer', 'engineer@bench.local');
    server = await serve(db.env);
    const pid = server.child.pid;
    await api(server.url, token, 'POST', '/datasets', { name: 'warm-up' });

    const load = steadyLoad(server.url, token);
    const begin = Date.now();
    await new Promise((r) => setTimeout(r, STEADY_MS));

    const outageStart = Date.now();
    if (pauseSeconds > 0) {
      await pgCtl('stop');
      await new Promise((r) => setTimeout(r, pauseSeconds * 1000));
      await pgCtl('start');
    } else {
      await pgCtl('restart');
    }
    const restarted = Date.now();
    // Recovered: the first 2xx completed after the cluster was back.
    let recovered: number | undefined;
    for (const deadline = restarted + 60_000; recovered === undefined && Date.now() < deadline;) {
      recovered = load.samples.find((s) => s.at >= restarted && s.outcome === '2xx')?.at;
      if (recovered === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    if (recovered === undefined) throw new Error(`no successful request within 60 s after PostgreSQL came back: ${tally(load.samples, restarted, Date.now())}`);
    await new Promise((r) => setTimeout(r, STEADY_MS));
    await load.stop();
    const end = Date.now();

    const alive = server.child.exitCode === null && server.child.signalCode === null;
    console.log(`bench:pg-restart — ${connections} clients alternating GET /datasets and POST /datasets; PostgreSQL ${cluster().join('/')}`);
    console.log(
      `  ${pauseSeconds > 0 ? `stop, ${pauseSeconds} s pause, start` : 'restart'} took ${restarted - outageStart} ms; first 2xx ${recovered - restarted} ms after it returned`,
    );
    console.log(`  before   (${outageStart - begin} ms): ${tally(load.samples, begin, outageStart)}`);
    console.log(`  outage   (${recovered - outageStart} ms): ${tally(load.samples, outageStart, recovered)}`);
    console.log(`  after    (${end - recovered} ms): ${tally(load.samples, recovered, end + 1)}`);
    console.log(`  the same Assay process (pid ${pid}) ${alive ? 'served throughout — no restart' : 'DID NOT SURVIVE'}`);
    const health = await fetch(`${server.url}/health`);
    console.log(`  GET /health after: ${health.status}`);
    if (!alive || health.status !== 200) process.exitCode = 1;
  } finally {
    await ensurePostgresUp();
    await server?.stop();
    await db?.database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
