/**
 * bench:load — HTTP throughput and latency of the governance read endpoints of an `assay serve`
 * child (GET /models, /models/:id/versions/:v, /promotions, /ledger/checkpoint, /policies), as a
 * regulator, untraced and traced (OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local sink that
 * accepts and discards POST /v1/traces), against a bare Express route measured with the same
 * autocannon settings on the same machine in the same run. Loopback only; about a minute and a half.
 *
 *   npm run bench:load [-- seconds=5 connections=10]        (ASSAY_TEST_DB=postgres for PostgreSQL)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { TEST_DB } from '../test/support/test-database';
import { logisticRunSpec } from '../test/support/training-fixtures';
import { api, benchDatabase, serve, trainOnCreditData, type RunningServer } from './support/assay-server';

const [seconds = 5, connections = 10] = process.argv.slice(2).map(Number);
const ROOT = resolve(__dirname, '..');

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function cannon(url: string, token: string | undefined, duration: number): Promise<Measured> {
  const result = await autocannon({ url, connections, duration, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/** Registers, splits, trains, registers a version and requests its promotion: every read endpoint has something to return. */
async function populate(url: string, engineer: string): Promise<{ modelId: string }> {
  const runId = await trainOnCreditData(url, engineer, 600, logisticRunSpec(5));
  const modelId = (
    await api<{ id: string }>(url, engineer, 'POST', '/models', { name: 'bench-model', intendedUse: 'Benchmark.', riskTier: 'high', jurisdictions: ['DE'] })
  ).id;
  await api(url, engineer, 'POST', `/models/${modelId}/versions`, { runId });
  await api(url, engineer, 'POST', `/models/${modelId}/versions/1/promotions`, { targetStage: 'staging' }, [200, 201, 202, 409, 422]);
  return { modelId };
}

/** A stand-in OTLP/HTTP collector: counts and discards trace exports. */
function startSink(): Promise<{ server: Server; url: string; exports: () => number }> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') exports++;
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' }).end();
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, exports: () => exports })),
  );
}

/** The baseline: a bare Express 5 route in a process of its own (as Assay's server is), answering a small JSON body. */
function startExpress(): Promise<{ child: ChildProcess; url: string }> {
  const code = `
    const express = require('express');
    const app = express();
    app.disable('x-powered-by');
    app.get('/baseline', (_req, res) => res.json({ items: [{ id: 'a', name: 'baseline' }], nextCursor: null }));
    const server = app.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) ok({ child, url: `http://127.0.0.1:${match[1]}/baseline` });
    });
    child.once('exit', (code) => fail(new Error(`express exited with ${code}`)));
  });
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
const fmt = (m: Measured) => `${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(1).padStart(6)} ms  p99 ${m.p99.toFixed(1).padStart(6)} ms`;
const flags = (m: Measured) => (m.non2xx || m.errors ? `  (non-2xx ${m.non2xx}, errors ${m.errors})` : '');

async function main(): Promise<void> {
  const db = await benchDatabase({ ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '100', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '0' });
  const sink = await startSink();
  const express = await startExpress();
  let server: RunningServer | undefined;
  try {
    const engineer = await db.token('engineer', 'engineer@bench.local');
    const regulator = await db.token('regulator', 'regulator@bench.local');
    server = await serve(db.env);
    const { modelId } = await populate(server.url, engineer);
    const endpoints = ['/models', `/models/${modelId}/versions/1`, '/promotions', '/ledger/checkpoint', '/policies'];
    for (const path of endpoints) await api(server.url, regulator, 'GET', path); // each answers 200 before it is measured

    const measure = async (url: string) => {
      const results = new Map<string, Measured>();
      for (const path of endpoints) {
        await cannon(`${url}${path}`, regulator, 1); // warm-up
        results.set(path, await cannon(`${url}${path}`, regulator, seconds));
      }
      return results;
    };
    const untraced = await measure(server.url);
    await server.stop();
    server = undefined;

    server = await serve({ ...db.env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: 'assay-bench' });
    const traced = await measure(server.url);
    await server.stop(); // a graceful stop flushes the span exporter
    server = undefined;
    await new Promise((r) => setTimeout(r, 500));
    const tracingActive = sink.exports() > 0;

    await cannon(express.url, undefined, 1);
    const baseline = await cannon(express.url, undefined, seconds);

    console.log(`bench:load — autocannon, ${connections} connections, ${seconds} s per endpoint, loopback; database: ${TEST_DB}; Node ${process.version}`);
    console.log(
      tracingActive
        ? `tracing: active — ${sink.exports()} OTLP exports reached the sink`
        : 'tracing: NOT active — the traced server sent no OTLP export to the sink (OTEL_EXPORTER_OTLP_ENDPOINT ignored: tracing is not in this build), so "traced" measures the same thing as "untraced"',
    );
    console.log(`\n  baseline: bare Express GET /baseline        ${fmt(baseline)}${flags(baseline)}\n`);
    for (const path of endpoints) {
      const u = untraced.get(path)!;
      const t = traced.get(path)!;
      const label = path.replace(modelId, ':id');
      console.log(`  GET ${label}`);
      console.log(`    untraced  ${fmt(u)}${flags(u)}   ÷ Express: req/s ${ratio(u.rps, baseline.rps)}, p99 ×${ratio(u.p99, baseline.p99)}`);
      console.log(`    traced    ${fmt(t)}${flags(t)}   traced ÷ untraced: req/s ${ratio(t.rps, u.rps)}, p99 ×${ratio(t.p99, u.p99)}`);
    }
  } finally {
    await server?.stop();
    express.child.kill('SIGTERM');
    sink.server.close();
    await db.database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
