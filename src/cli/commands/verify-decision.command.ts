import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { verifyDecisionProof, type DecisionProof } from '../../serving/decision-log/decision-proof';

/** sysexits: 65 — a proof does not verify (or the file holds none); 66 — an input file cannot be read. */
const EX_DATAERR = 65;
const EX_NOINPUT = 66;

async function read(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    process.stderr.write(`assay verify-decision: cannot read the ${what} ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EX_NOINPUT);
  }
}

/** The proofs in a file: one proof (GET /predictions/:id/proof), `{items}` (POST /predictions/proofs) or a list. */
function proofsIn(json: unknown): DecisionProof[] | null {
  const list = Array.isArray(json) ? json : typeof json === 'object' && json !== null && 'items' in json ? json.items : [json];
  return Array.isArray(list) &&
    list.length > 0 &&
    list.every((p) => typeof p === 'object' && p !== null && (p as { format?: unknown }).format === 'assay.decision-proof/v1')
    ? (list as DecisionProof[])
    : null;
}

/**
 * `assay verify-decision FILE [--trusted-key FILE] [--json]`: checks decision proofs offline — the
 * leaf in its batch, the batch root in its ledger entry, the entry in a signed checkpoint — and
 * exits 65 naming each decision that fails and the step. Without --trusted-key only integrity is
 * shown, not origin.
 */
@Command({ name: 'verify-decision', arguments: '<proofs>', description: 'Verify decision-log proofs offline (GET /predictions/:id/proof)' })
export class VerifyDecisionCommand extends CommandRunner {
  async run([file]: string[], options: { trustedKey?: string; json?: boolean }): Promise<void> {
    const text = await read(file!, 'proof file');
    const key = options.trustedKey ? (await read(options.trustedKey, 'trusted key')).trim() : undefined;
    let proofs: DecisionProof[] | null = null;
    try {
      proofs = proofsIn(JSON.parse(text));
    } catch {
      proofs = null;
    }
    if (!proofs) {
      process.stderr.write(`assay verify-decision: ${file} holds no assay.decision-proof/v1 proof\n`);
      process.exit(EX_DATAERR);
    }
    const results = proofs.map((proof) => {
      let check;
      try {
        check = verifyDecisionProof(proof, key);
      } catch (error) {
        check = { ok: false as const, step: 'checkpoint' as const, reason: error instanceof Error ? error.message : String(error) };
      }
      const leaf = proof.leaf as { id?: string; predictionId?: string };
      return { decision: leaf.id ?? leaf.predictionId ?? '?', ...check };
    });
    if (options.json) process.stdout.write(`${JSON.stringify({ trustedKey: key !== undefined, results }, null, 2)}\n`);
    else {
      for (const r of results) process.stdout.write(r.ok ? `OK    ${r.decision}\n` : `FAIL  ${r.decision}: ${r.step}: ${r.reason}\n`);
      if (!key) process.stdout.write('WARNING: no --trusted-key: the checkpoint signature was not checked (integrity, not origin)\n');
    }
    if (results.some((r) => !r.ok)) process.exit(EX_DATAERR);
  }

  @Option({ flags: '--trusted-key <file>', description: 'The ledger verifier key you trust (verifierKey of GET /ledger/public-key)' })
  parseTrustedKey(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable result' })
  parseJson(): boolean {
    return true;
  }
}
