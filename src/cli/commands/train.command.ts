import { readFile } from 'node:fs/promises';
import { Inject } from '@nestjs/common';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { progressBar } from '../progress';

interface RunBody {
  id: string;
  state: string;
  result?: { modelDigest: string; testMetrics: { accuracy: number; loss: number } | null } | null;
  error?: { code: string; message: string } | null;
}

/** Exit codes (sysexits): the run failed or was cancelled → 65 (data error); the API refused → 69/64. */
const EX_USAGE = 64;
const EX_DATAERR = 65;
const EX_UNAVAILABLE = 69;

class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * `assay train --dataset ID --spec FILE`: a client of the HTTP API (ASSAY_API_URL, ASSAY_API_TOKEN)
 * that queues a run, follows its event stream with a progress bar and prints the model digest.
 */
@Command({ name: 'train', description: 'Train a model through the API: queue a run, follow its progress, print the model digest' })
export class TrainCommand extends CommandRunner {
  constructor(@Inject(ASSAY_CONFIG) private readonly config: AssayConfig) {
    super();
  }

  async run(_: string[], options: { dataset: string; spec: string; version?: number; name?: string; idempotencyKey?: string }): Promise<void> {
    try {
      await this.train(options);
    } catch (error) {
      if (!(error instanceof CliFailure)) throw error;
      process.stderr.write(`assay train: ${error.message}\n`);
      process.exit(error.exitCode);
    }
  }

  private async train(options: { dataset: string; spec: string; version?: number; name?: string; idempotencyKey?: string }): Promise<void> {
    const base = (this.config.ASSAY_API_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/$/, '');
    const token = this.config.ASSAY_API_TOKEN;
    if (!token) throw new CliFailure('set ASSAY_API_TOKEN to an API token (assay token create)', EX_USAGE);
    let spec: unknown;
    try {
      spec = JSON.parse(await readFile(options.spec, 'utf8'));
    } catch (error) {
      throw new CliFailure(`cannot read the spec ${options.spec}: ${error instanceof Error ? error.message : String(error)}`, EX_USAGE);
    }
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) };
    const body = { datasetId: options.dataset, spec, ...(options.version ? { datasetVersion: options.version } : {}), ...(options.name ? { name: options.name } : {}) };
    const created = await this.call(`${base}/runs`, { method: 'POST', headers, body: JSON.stringify(body) });
    const run = (await created.json()) as RunBody;
    process.stderr.write(`Run ${run.id} queued\n`);

    const bar = progressBar('Training');
    let final: string | undefined;
    const events = await this.call(`${base}/runs/${run.id}/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    const parser = createParser({
      onEvent: (event: EventSourceMessage) => {
        const data = JSON.parse(event.data) as { epoch?: number; epochs?: number; batch?: number; batches?: number };
        if (event.event === 'batch' && data.epochs && data.batches) bar.update((data.epoch ?? 0) * data.batches + (data.batch ?? 0) + 1, data.epochs * data.batches);
        if (event.event === 'succeeded' || event.event === 'failed' || event.event === 'cancelled') final = event.event;
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of events.body as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    bar.stop();

    const finished = (await (await this.call(`${base}/runs/${run.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as RunBody;
    if (finished.state !== 'succeeded' || !finished.result) {
      throw new CliFailure(`run ${run.id} ${finished.state ?? final ?? 'ended'}${finished.error ? `: ${finished.error.code} ${finished.error.message}` : ''}`, EX_DATAERR);
    }
    const test = finished.result.testMetrics;
    process.stderr.write(`Run ${run.id} succeeded${test ? ` (test accuracy ${test.accuracy.toFixed(4)})` : ''}\n`);
    process.stdout.write(`${finished.result.modelDigest}\n`);
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      throw new CliFailure(`cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`, EX_UNAVAILABLE);
    }
    if (!response.ok) {
      const text = await response.text();
      throw new CliFailure(`${init.method ?? 'GET'} ${url} → ${response.status} ${text.slice(0, 2000)}`, response.status >= 500 ? EX_UNAVAILABLE : EX_DATAERR);
    }
    return response;
  }

  @Option({ flags: '--dataset <id>', description: 'Dataset id (its latest split is used unless --version)', required: true })
  parseDataset(value: string): string {
    return value;
  }

  @Option({ flags: '--spec <file>', description: 'JSON file {model, preprocessing}', required: true })
  parseSpec(value: string): string {
    return value;
  }

  @Option({ flags: '--version <n>', description: 'The split dataset version (default: the latest split)' })
  parseVersion(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error('--version takes a positive whole number');
    return n;
  }

  @Option({ flags: '--name <name>', description: 'A name for the run' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--idempotency-key <key>', description: 'Repeat-safe: the same key returns the same run' })
  parseKey(value: string): string {
    return value;
  }
}
