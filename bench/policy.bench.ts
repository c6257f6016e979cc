/**
 * bench:policy — the cost of a policy decision, each figure against a baseline measured in the same run
 * (a JSON round trip of the evidence document, i.e. the least any decision must do with it):
 *   1. one decision over the shipped packs (policies/), p50 / p99 (goal p99 ≤ 1 ms), for a passing
 *      document and for one that fails and renders messages; with where the time goes;
 *   2. the same for a generated pack of 1,000 rules (report), and its load + compile time.
 * Env: BENCH_N (decisions per measurement, default 2000).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceDocumentDigest, validateEvidenceDocument } from '../src/governance/evidence-document';
import { exampleEvidenceDocument } from '../src/governance/evidence-document/evidence-document.fixture';
import { evaluatePolicies, loadPolicyPack, loadPolicyPacks, type PolicyPack } from '../src/governance/policy';

const N = Number(process.env.BENCH_N ?? 2000);
const NOW = '2026-03-02T10:00:00.000Z';

const line = (label: string, value: string) => console.log(`  ${label.padEnd(64)} ${value}`);
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

interface Timing {
  p50: number;
  p99: number;
  mean: number;
}

/** Per-call times in ms after a warm-up; percentiles by rank. */
function time(work: () => unknown, count = N): Timing {
  for (let i = 0; i < Math.min(300, count); i++) work();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** A document that fails rules in every shipped pack, so messages are rendered too. */
function failingDocument() {
  const document = exampleEvidenceDocument();
  document.fairness!.attributeSets[1]!.demographicParityRatio = 0.71;
  document.fairness!.minDemographicParityRatio = 0.71;
  document.artifacts!.signature!.verified = false;
  document.evaluation!.metrics[2]!.ci = null;
  document.privacy!.kAnonymity!.k = 2;
  document.robustness!.maxDrop = 0.2;
  return document;
}

function report(label: string, packs: PolicyPack[], document: unknown, baseline: Timing): Timing {
  const decide = () => evaluatePolicies(packs, document, { stage: 'production', now: NOW });
  const decision = decide();
  const timing = time(decide);
  const rules = packs.reduce((n, pack) => n + pack.rules.length, 0);
  const failed = decision.counts.fail + decision.counts.error;
  line(`${label} (${rules} rules, ${failed} failing)`, `p50 ${us(timing.p50)}  p99 ${us(timing.p99)}  (${(timing.p50 / baseline.p50).toFixed(1)}× baseline)`);
  return timing;
}

/** Where the time of one decision goes (medians of the parts, measured separately). */
function breakdown(packs: PolicyPack[]): void {
  const document = exampleEvidenceDocument();
  const convert = packs[0]!.runtime.convertEvidence;
  const evidence = convert(document);
  const cel = () => {
    for (const pack of packs) {
      const context = { evidence, params: pack.runtime.params, stage: 'production', riskTier: 'high' };
      for (const rule of pack.rules) {
        rule.when?.evaluate(context);
        rule.require.evaluate(context);
      }
    }
  };
  line('  of which: schema validation of the document', us(time(() => validateEvidenceDocument(document)).p50));
  line('            JCS digest of the document', us(time(() => evidenceDocumentDigest(document)).p50));
  line('            conversion to CEL values', us(time(() => convert(document)).p50));
  line('            CEL evaluation of every rule', us(time(cel).p50));
}

/** 1,000 rules cycling through typical shapes, each against its own parameter. */
function generatedPack(dir: string, count: number): void {
  const shapes = [
    (i: number) => [`has(evidence.fairness)`, `evidence.fairness.attributeSets.all(a, has(a.demographicParityRatio) && a.demographicParityRatio >= params.p${i})`, 'double', '0.8'],
    (i: number) => [null, `has(evidence.evaluation) && evidence.evaluation.metrics.exists(m, m.name == "accuracy" && m.value >= params.p${i})`, 'double', '0.7'],
    (i: number) => [null, `size(evidence.datasets) >= params.p${i} && evidence.datasets.all(d, has(d.datasheet) && d.datasheet.complete)`, 'int', '1'],
    (i: number) => [`has(evidence.privacy)`, `has(evidence.privacy.kAnonymity) && evidence.privacy.kAnonymity.k >= params.p${i}`, 'int', '5'],
    (i: number) => [null, `evidence.records.all(r, has(r.ledgerIndex)) && size(evidence.records) >= params.p${i}`, 'int', '3'],
    (i: number) => [`has(evidence.robustness)`, `has(evidence.robustness.maxDrop) && evidence.robustness.maxDrop <= params.p${i}`, 'double', '0.05'],
  ] as const;
  const parameters: string[] = [];
  const rules: string[] = [];
  for (let i = 0; i < count; i++) {
    const [when, require, type, value] = shapes[i % shapes.length]!(i);
    parameters.push(`  p${i}: { type: ${type}, default: ${value}, description: Threshold ${i}. }`);
    rules.push(
      [
        `  - id: rule-${i}`,
        `    title: Generated rule ${i}`,
        `    cites: Generated clause ${i}`,
        `    stages: [staging, production]`,
        `    severity: ${i % 5 === 0 ? 'warn' : 'block'}`,
        `    waivable: ${i % 2 === 0}`,
        ...(when ? [`    when: ${when}`] : []),
        `    require: '${require}'`,
        `    message: "Rule ${i} failed: {{ params.p${i} }}"`,
      ].join('\n'),
    );
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pack.yaml'), `id: generated\nversion: "1.0.0"\ntitle: Generated\njurisdiction: global\nparameters:\n${parameters.join('\n')}\n`);
  writeFileSync(join(dir, 'generated.rules.yaml'), `rules:\n${rules.join('\n')}\n`);
}

async function main(): Promise<void> {
  console.log(`bench:policy — ${N} decisions per figure`);
  const document = exampleEvidenceDocument();
  const baseline = time(() => JSON.parse(JSON.stringify(document)) as unknown);
  line('baseline: JSON round trip of the evidence document', `p50 ${us(baseline.p50)}`);

  const loadStart = performance.now();
  const shipped = await loadPolicyPacks(join(__dirname, '../policies'));
  line('load + compile the shipped packs', `${(performance.now() - loadStart).toFixed(0)} ms`);
  console.log('\nshipped packs');
  const passing = report('decision, passing document', shipped, document, baseline);
  report('decision, failing document', shipped, failingDocument(), baseline);
  breakdown(shipped);
  line('goal p99 ≤ 1 ms', passing.p99 <= 1 ? 'met' : `not met (${us(passing.p99)})`);

  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-policy-'));
  try {
    generatedPack(join(dir, 'generated'), 1000);
    const start = performance.now();
    const generated = await loadPolicyPack(join(dir, 'generated'));
    console.log('\ngenerated pack');
    line('load + compile 1,000 rules', `${(performance.now() - start).toFixed(0)} ms`);
    report('decision', [generated], document, baseline);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
