import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { verifyEvidenceBundle } from '../../governance/exports/bundle';
import { formatVerificationReport } from '../verification-report';

/** sysexits: 65 — the bundle does not verify; 66 — an input file cannot be read. */
const EX_DATAERR = 65;
const EX_NOINPUT = 66;

async function read(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    process.stderr.write(`assay verify: cannot read the ${what} ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EX_NOINPUT);
  }
}

/**
 * `assay verify BUNDLE [--trusted-key FILE] [--checkpoint FILE] [--json]`: checks an evidence
 * bundle offline — no server, no database — and exits 65 naming every check that failed.
 */
@Command({ name: 'verify', arguments: '<bundle>', description: 'Verify an evidence bundle offline: digests, signatures, ledger proofs, policy replay' })
export class VerifyCommand extends CommandRunner {
  async run([file]: string[], options: { trustedKey?: string; checkpoint?: string; json?: boolean }): Promise<void> {
    const bytes = await read(file!, 'bundle');
    const trustedKey = options.trustedKey ? (await read(options.trustedKey, 'trusted key')).toString('utf8') : undefined;
    const regulatorCheckpoint = options.checkpoint ? (await read(options.checkpoint, 'checkpoint')).toString('utf8') : undefined;
    const report = await verifyEvidenceBundle(bytes, { trustedKey, regulatorCheckpoint });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerificationReport(file!, report));
    if (!report.ok) process.exit(EX_DATAERR);
  }

  @Option({ flags: '--trusted-key <file>', description: 'The ledger key you trust: signed-note verifier key (GET /ledger/public-key) or Ed25519 PEM' })
  parseTrustedKey(value: string): string {
    return value;
  }

  @Option({ flags: '--checkpoint <file>', description: 'A signed checkpoint you kept earlier: the bundle must prove the ledger extends it' })
  parseCheckpoint(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable report' })
  parseJson(): boolean {
    return true;
  }
}
