import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { formatProblem, PolicyError, replayDecision } from '../../governance/policy';

/** sysexits: 65 — the replay differs from the record (or the input is not what it claims). */
const EX_DATAERR = 65;
const EX_NOINPUT = 66;

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    process.stderr.write(`assay policy replay: cannot read the ${what} ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EX_NOINPUT);
  }
}

/**
 * `assay policy replay --evidence FILE --decision FILE --packs DIR`: recomputes a recorded policy
 * decision offline — no server, no database — from the evidence document it read and the pack
 * files, and reports every difference. The decision file is the recorded decision, or a
 * promotion (`GET /promotions/:id`) that holds it.
 */
@SubCommand({ name: 'replay', description: 'Recompute a recorded policy decision offline and compare' })
export class PolicyReplayCommand extends CommandRunner {
  async run(_: string[], options: { evidence: string; decision: string; packs: string; json?: boolean }): Promise<void> {
    const evidence = await readJson(options.evidence, 'evidence document');
    const recordedFile = (await readJson(options.decision, 'decision')) as { decision?: unknown };
    const recorded = recordedFile && typeof recordedFile === 'object' && 'decision' in recordedFile ? recordedFile.decision : recordedFile;
    try {
      const result = await replayDecision(recorded, evidence, options.packs);
      if (options.json)
        process.stdout.write(`${JSON.stringify({ ok: result.ok, differences: result.differences, outcome: result.replayed.outcome }, null, 2)}\n`);
      else if (result.ok)
        process.stdout.write(
          `Replayed: ${result.replayed.outcome}, identical to the recorded decision (${result.replayed.rules.length} rules, packs ${result.replayed.packs.map((p) => `${p.id}@${p.version}`).join(', ')}).\n`,
        );
      else {
        process.stdout.write(`Replay DIFFERS from the recorded decision (${result.differences.length} difference(s)):\n`);
        for (const d of result.differences)
          process.stdout.write(`  ${d.path}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}\n`);
      }
      if (!result.ok) process.exit(EX_DATAERR);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      process.stderr.write(`assay policy replay: ${error.code}: ${error.message}\n${error.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
      process.exit(EX_DATAERR);
    }
  }

  @Option({ flags: '--evidence <file>', description: 'The evidence document (assay.evidence/v1) the decision read', required: true })
  parseEvidence(value: string): string {
    return value;
  }

  @Option({ flags: '--decision <file>', description: 'The recorded decision, or a promotion holding it', required: true })
  parseDecision(value: string): string {
    return value;
  }

  @Option({ flags: '--packs <dir>', description: 'Folder of policy packs (the versions the decision used)', required: true })
  parsePacks(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'Machine-readable result' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'policy', description: 'Policy packs: replay a recorded decision offline', subCommands: [PolicyReplayCommand] })
export class PolicyCommand extends CommandRunner {
  run(): Promise<void> {
    this.command.help();
  }
}
