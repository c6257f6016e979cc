import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli';

jest.setTimeout(300_000);

// The demo always runs on the embedded database (its own fresh directory), whatever the suite's pass.
const embeddedPass = process.env.ASSAY_TEST_DB !== 'postgres';
const describeDemo = embeddedPass ? describe : describe.skip;

describeDemo(`assay demo${embeddedPass ? '' : ' (SKIPPED in the PostgreSQL pass: the demo always uses embedded PGlite)'}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-demo-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a model’s whole life to the end, and its bundle verifies offline', async () => {
    const demo = await runCli(['demo', '--dir', dir], {});
    expect({ code: demo.code, stderr: demo.stderr }).toEqual({ code: 0, stderr: '' });
    const out = demo.stdout;
    // The story the README promises, in order.
    const steps = [
      /privacy scan: column "email" holds EMAIL_ADDRESS/,
      /fairness by sex: selection-rate ratio 0\.\d+/,
      /→ BLOCKED by \d+ rule\(s\):/,
      /art10-2-b-personal-data-lawful-basis/,
      /art10-2-g-disparate-impact/,
      /privacy scan of version \d+: no personal data recognised/,
      /→ PENDING_APPROVAL/,
      /approved: alias production → version 2/,
      /credit-pre-screening-v2\.assay-bundle\.zip/,
      /PASS {2}policy-replay/,
      /\nVERIFIED\n/,
    ];
    let at = 0;
    for (const step of steps) {
      const match = step.exec(out.slice(at));
      expect({ step: String(step), found: match !== null }).toEqual({ step: String(step), found: true });
      at += match!.index + match![0].length;
    }
    const bundle = join(dir, 'credit-pre-screening-v2.assay-bundle.zip');
    expect(existsSync(bundle)).toBe(true);
    const verify = await runCli(['verify', bundle, '--trusted-key', join(dir, 'ledger.vkey'), '--checkpoint', join(dir, 'earlier-checkpoint.txt')], {});
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/PASS {2}regulator-checkpoint/);
  });
});
