/**
 * bench:promotion — the promotion endpoint's time with and without the gate, in one run on one
 * machine: `POST /models/:id/versions/:v/promotions/preview` (assemble the evidence document from
 * the ledgered records, verify the model signature, evaluate the packs) on an app with the shipped
 * packs, against the same endpoint on an app whose policy folder is empty (everything but the
 * rules). Both apps hold the same trained, registered model. Reports p50 / p99 and the ratio.
 *
 *   ASSAY_TEST_DB=pglite node -r @swc-node/register bench/promotion.bench.ts [requests=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../test/support/test-app';
import { logisticRunSpec, registerSplitDataset, syntheticCreditCsv, waitForRun } from '../test/support/training-fixtures';

const [requests = 200] = process.argv.slice(2).map(Number);
const FAST = { ASSAY_RUN_POLL_MS: '50', ASSAY_EVAL_BOOTSTRAP_RESAMPLES: '200', ASSAY_EVAL_EXAMPLE_EXPLANATIONS: '1', ASSAY_LOG_LEVEL: 'silent' };

async function prepare(env: Record<string, string>): Promise<{ t: TestApp; call: () => Promise<number> }> {
  const t = await startTestApp({ ...FAST, ...env }, { workers: true });
  const engineer = await t.createUser('engineer');
  const auth = { Authorization: `Bearer ${engineer.token}` };
  const datasetId = await registerSplitDataset(t, engineer, syntheticCreditCsv(600));
  const runId = (await t.http().post('/runs').set(auth).send({ datasetId, spec: logisticRunSpec() })).body.id as string;
  await waitForRun(t, engineer, runId, 600_000);
  const modelId = (await t.http().post('/models').set(auth).send({ name: 'bench', intendedUse: 'Benchmark.', riskTier: 'high', jurisdictions: ['DE'] })).body.id as string;
  await t.http().post(`/models/${modelId}/versions`).set(auth).send({ runId });
  const call = async () => {
    const started = performance.now();
    const response = await t.http().post(`/models/${modelId}/versions/1/promotions/preview`).set(auth).send({ targetStage: 'production' });
    if (response.status !== 200) throw new Error(`preview: ${response.status} ${JSON.stringify(response.body)}`);
    return performance.now() - started;
  };
  return { t, call };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const empty = mkdtempSync(join(tmpdir(), 'assay-no-packs-'));
  const gated = await prepare({});
  const ungated = await prepare({ ASSAY_POLICIES_DIR: empty });
  try {
    const times = { gated: [] as number[], ungated: [] as number[] };
    for (let i = 0; i < 20; i++) await Promise.all([gated.call(), ungated.call()]); // warm-up
    for (let i = 0; i < requests; i++) {
      times.gated.push(await gated.call());
      times.ungated.push(await ungated.call());
    }
    const report = (label: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      console.log(`  ${label.padEnd(44)} p50 ${percentile(sorted, 0.5).toFixed(2)} ms   p99 ${percentile(sorted, 0.99).toFixed(2)} ms`);
      return percentile(sorted, 0.5);
    };
    console.log(`POST …/promotions/preview, ${requests} requests each (sequential, alternating):`);
    const withGate = report('with the gate (shipped packs, 4 packs)', times.gated);
    const without = report('without the gate (no packs)', times.ungated);
    console.log(`  gate cost: ${(withGate - without).toFixed(2)} ms per request at p50; with ÷ without ${(withGate / without).toFixed(2)}`);
  } finally {
    await gated.t.close();
    await ungated.t.close();
    rmSync(empty, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
