import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthContext } from '../access/auth-context';
import { AssayException } from '../errors/assay.exception';
import { CheckpointService } from './checkpoint.service';
import { LEDGER_EXPORT_WRITERS, type LedgerExportWriter } from './ledger-export.format';
import { MAX_EXPORT_ENTRIES, type LedgerExportQueryDto } from './ledger.dto';
import { LedgerReadService } from './ledger-read.service';
import { LedgerService } from './ledger.service';
import { parseCheckpoint, type ParsedCheckpoint } from './verification';

/** Entries per database round trip (one entry query and one node query each) and per chunk written. */
const EXPORT_BATCH = 500;

interface ExportPlan {
  writer: LedgerExportWriter;
  checkpoint: ParsedCheckpoint;
  note: string;
  from: number;
  to: number;
  actorId: string | undefined;
}

/**
 * GET /ledger/export: a range of the ledger, each entry with its inclusion proof against one
 * signed checkpoint, streamed batch by batch so that memory stays O(batch) whatever the range.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    private readonly reader: LedgerReadService,
    private readonly ledger: LedgerService,
    private readonly checkpoints: CheckpointService,
  ) {}

  async export(auth: AuthContext, query: LedgerExportQueryDto, response: Response): Promise<void> {
    const actorId = this.reader.actorFilter(auth);
    // The latest checkpoint is signed on demand, so it covers every committed entry.
    const note = await this.checkpoints.latest();
    const checkpoint = parseCheckpoint(note);
    const from = query.from ?? 0;
    const to = query.to ?? checkpoint.size;
    // The limit first: it is a property of the request alone, whatever the ledger's size.
    if (to - from > MAX_EXPORT_ENTRIES) {
      throw new AssayException('LEDGER_EXPORT_TOO_LARGE', `One export spans at most ${MAX_EXPORT_ENTRIES} entries; export the range in parts`, {
        from,
        to,
        max: MAX_EXPORT_ENTRIES,
      });
    }
    if (!(from <= to && to <= checkpoint.size)) {
      throw new AssayException('LEDGER_PROOF_OUT_OF_RANGE', `Need 0 ≤ from ≤ to ≤ ${checkpoint.size}`, { from, to, size: checkpoint.size });
    }
    const writer = LEDGER_EXPORT_WRITERS[query.format ?? 'jsonl'];
    response.status(200);
    response.setHeader('Content-Type', writer.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="assay-ledger-${from}-${to}.${writer.extension}"`);
    // A signed note spans several lines, which a header cannot hold.
    response.setHeader('Assay-Checkpoint', Buffer.from(note, 'utf8').toString('base64'));
    response.setHeader('Cache-Control', 'no-store');
    // Backpressure: at most one batch waits in the source; the next is read when the response drains.
    const source = Readable.from(this.chunks({ writer, checkpoint, note, from, to, actorId }), { highWaterMark: 1 });
    try {
      // Ends the response when the source ends; on a failure mid-stream it destroys the response,
      // so the client sees a cut-off transfer, never a complete-looking truncated export.
      await pipeline(source, response);
    } catch (error) {
      // The client went away: nothing is left to answer.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw error;
    }
  }

  private async *chunks(plan: ExportPlan): AsyncGenerator<string> {
    const { writer, checkpoint, to, actorId } = plan;
    yield writer.head(checkpoint, plan.note);
    let cursor = plan.from;
    while (cursor < to) {
      const views = await this.ledger.entries(cursor, EXPORT_BATCH, { actorId, to });
      const last = views[views.length - 1];
      if (!last) return;
      const proofs = await this.ledger.inclusionProofs(
        views.map((view) => view.entry.index),
        checkpoint.size,
      );
      yield writer.entries(
        views.map((view, i) => ({ ...view, inclusionProof: proofs[i]! })),
        checkpoint,
      );
      cursor = last.entry.index + 1;
    }
  }
}
