import type { ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { runCli, startServer, stop } from './support/cli';
import { createTestDatabase, TEST_DB, withAdminClient, type TestDatabase } from './support/test-database';

jest.setTimeout(120_000);

/**
 * PostgreSQL going away under a running `assay serve`: requests get 503 DATABASE_UNAVAILABLE with
 * Retry-After (not 500), /health says the database is down, the process stays up, and it serves
 * again by itself once the database is back. The outage is a TCP proxy between Assay and the
 * machine's PostgreSQL that stops listening and cuts every connection, so the suite never
 * restarts the shared server (`npm run bench:pg-restart` does that for real).
 */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** Stops accepting (new connections are refused) and resets every open one. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const describeWithPostgres = TEST_DB === 'postgres' ? describe : describe.skip;
const title =
  TEST_DB === 'postgres'
    ? 'the database going away under a running server'
    : 'the database going away under a running server (SKIPPED on PGlite: the embedded database cannot go away; the PostgreSQL pass runs it)';

describeWithPostgres(title, () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let server: ChildProcess | undefined;
  let url: string;
  let token: string;

  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...database.env, ASSAY_LOG_LEVEL: 'error' };
    const migrated = await runCli(['migrate'], env);
    if (migrated.code !== 0) throw new Error(migrated.stderr);
    await runCli(['user', 'create', '--email', 'eng@example.org', '--role', 'engineer'], env);
    const created = await runCli(['token', 'create', '--email', 'eng@example.org', '--name', 'outage'], env);
    token = created.stdout.trim().split('\n').at(-1)!;

    const direct = new URL(database.env.DATABASE_URL!);
    proxy = new CuttableProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.up();
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const started = await startServer({ ...env, DATABASE_URL: viaProxy.toString() });
    server = started.child;
    url = started.url;
  });

  afterAll(async () => {
    if (server) await stop(server);
    await proxy?.down();
    await database?.drop();
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After while the database is unreachable, and recovers by itself', async () => {
    expect((await get('/datasets')).status).toBe(200);
    expect((await get('/health')).status).toBe(200);

    await proxy.down();
    for (const response of [await get('/datasets'), await post('/datasets', { name: 'during the outage' }), await get('/ledger/checkpoint')]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONN|SELECT/);
    }
    const health = await get('/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    expect(await health.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE', details: { database: { status: 'down' } } } });

    await proxy.up();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await get('/datasets')).status) !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(status).toBe(200);
    expect((await post('/datasets', { name: 'after the outage' })).status).toBe(201);
    expect((await get('/health')).status).toBe(200);
    expect(server!.exitCode).toBeNull();
  });

  it('survives its idle connections being terminated by the server (57P01) and keeps serving', async () => {
    for (let i = 0; i < 5; i++) expect((await get('/datasets')).status).toBe(200); // the pool holds idle connections now
    const name = new URL(database.env.DATABASE_URL!).pathname.slice(1);
    const terminated = await withAdminClient((client) =>
      client.query<{ pid: number }>('SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]),
    );
    expect(terminated.rowCount).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the termination notices reach the idle clients
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await get('/datasets')).status);
    expect(statuses).toEqual(statuses.map(() => 200));
    expect(server!.exitCode).toBeNull();
  });
});
