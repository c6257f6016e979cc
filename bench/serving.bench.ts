/**
 * bench:serving — predictions per second and latency of POST /models/:name/aliases/production/predict
 * for an MLP (9 encoded inputs → 64 → 32 → 1 on the credit fixture) served by an `assay serve` child, with the
 * decision log on and off (the model's monitoring plan switches it), measured alternately
 * (on, off, on, off…) with autocannon on loopback so that the machine's noise falls on both.
 * Goal: logging on ÷ off ≥ 0.8 of the throughput. Also a batch of 100 inputs per request.
 *
 *   npm run bench:serving [-- seconds=5 connections=10 rounds=3]        (ASSAY_TEST_DB=postgres for PostgreSQL)
 */
import autocannon from 'autocannon';
import { TEST_DB } from '../test/support/test-database';
import { creditInputs } from '../test/support/serving-fixtures';

import { api, benchDatabase, serve, trainOnCreditData, type RunningServer } from './support/assay-server';

const [seconds = 5, connections = 10, rounds = 3] = process.argv.slice(2).map(Number);

const MLP_SPEC = {
  model: {
    type: 'mlp',
    hiddenLayers: [
      { units: 64, activation: 'relu' },
      { units: 32, activation: 'relu' },
    ],
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 4, seed: 3 },
  },
  preprocessing: { label: 'credit_risk', positiveLabel: 'good' },
};

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

async function cannon(url: string, token: string, body: string, duration = seconds): Promise<Measured> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts };
}

/** A trained MLP, registered and moved to production through the gate (waivers by the officer). */
async function populate(url: string, engineer: string, officer: string): Promise<string> {
  const runId = await trainOnCreditData(url, engineer, 1_000, MLP_SPEC);
  const modelId = (
    await api<{ id: string }>(url, engineer, 'POST', '/models', { name: 'bench-mlp', intendedUse: 'Benchmark.', riskTier: 'minimal', jurisdictions: ['DE'] })
  ).id;
  await api(url, engineer, 'POST', `/models/${modelId}/versions`, { runId });
  const request = () =>
    api<{ id: string; state: string; decision: { blockedBy: { packId: string; ruleId: string }[] } }>(
      url,
      engineer,
      'POST',
      `/models/${modelId}/versions/1/promotions`,
      { targetStage: 'production' },
    );
  let promotion = await request();
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  for (const { packId, ruleId } of promotion.decision.blockedBy)
    await api(url, officer, 'POST', '/waivers', {
      modelId,
      version: 1,
      packId,
      ruleId,
      justification: 'Benchmark model, never used for decisions.',
      expiresAt,
    });
  if (promotion.state === 'blocked') promotion = await request();
  await api(url, officer, 'POST', `/promotions/${promotion.id}/approve`, { rationale: 'Benchmark.' });
  return modelId;
}

const fmt = (m: Measured) =>
  `${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1).padStart(5)} ms  p99 ${m.p99.toFixed(1).padStart(6)} ms${m.bad ? `  (${m.bad} failed)` : ''}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function main(): Promise<void> {
  const db = await benchDatabase({ ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '100', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '0', ASSAY_MONITORING_CHECK_MS: '0' });
  let server: RunningServer | undefined;
  try {
    const engineer = await db.token('engineer', 'engineer@bench.local');
    const officer = await db.token('compliance_officer', 'officer@bench.local');
    server = await serve(db.env);
    const modelId = await populate(server.url, engineer, officer);
    const url = `${server.url}/models/bench-mlp/aliases/production/predict`;
    const one = JSON.stringify({ input: creditInputs(1, 1)[0] });
    const hundred = JSON.stringify({ inputs: creditInputs(100, 2) });
    const logging = (on: boolean) => api(server!.url, engineer, 'PUT', `/models/${modelId}/monitoring`, { decisionLogging: on });
    const results: Record<'on' | 'off', { one: Measured[]; hundred: Measured[] }> = { on: { one: [], hundred: [] }, off: { one: [], hundred: [] } };
    await api(server.url, engineer, 'POST', '/models/bench-mlp/aliases/production/predict', JSON.parse(one));
    for (const mode of [true, false]) {
      await logging(mode); // warm-up of both paths (JIT, pools, the first batches), not counted
      for (const body of [one, hundred]) await cannon(url, engineer, body, 2);
    }
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['on', 'off'] as const) {
        await logging(mode === 'on');
        results[mode].one.push(await cannon(url, engineer, one));
        results[mode].hundred.push(await cannon(url, engineer, hundred));
      }
    }
    const logged = await api<{ text?: string }>(server.url, engineer, 'GET', '/metrics', undefined, [200, 401, 403]);
    const pending = /assay_decision_log_pending (\d+)/.exec(logged.text ?? '')?.[1];

    console.log(
      `bench:serving — MLP 9→64→32→1, autocannon ${connections} connections, ${seconds} s × ${rounds} rounds per mode, loopback; database: ${TEST_DB}; Node ${process.version}`,
    );
    for (const [name, pick, rows] of [
      ['1 input per request', (r: { one: Measured[] }) => r.one, 1],
      ['100 inputs per request', (r: { hundred: Measured[] }) => r.hundred, 100],
    ] as const) {
      const on = pick(results.on);
      const off = pick(results.off);
      console.log(`\n  ${name}`);
      on.forEach((m, i) => console.log(`    round ${i + 1}  logging on   ${fmt(m)}\n             logging off  ${fmt(off[i]!)}`));
      const onRps = median(on.map((m) => m.rps));
      const offRps = median(off.map((m) => m.rps));
      console.log(
        `    median: on ${(onRps * rows).toFixed(0)} predictions/s (p99 ${median(on.map((m) => m.p99)).toFixed(1)} ms), off ${(offRps * rows).toFixed(0)} predictions/s (p99 ${median(off.map((m) => m.p99)).toFixed(1)} ms)`,
      );
      console.log(`    logging on ÷ off: ${(onRps / offRps).toFixed(2)} of the throughput (goal ≥ 0.80)`);
    }
    if (pending !== undefined) console.log(`\n  decision log backlog at the end: ${pending} leaves not yet in a batch`);
  } finally {
    await server?.stop();
    await db.database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
