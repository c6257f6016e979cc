import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { AssayException } from '../../platform/errors/assay.exception';
import { CheckpointService } from '../../platform/ledger/checkpoint.service';
import { LedgerService } from '../../platform/ledger/ledger.service';
import { parseCheckpoint } from '../../platform/ledger/verification';
import { PredictionsService } from '../predictions/predictions.service';
import { BatchTree } from './batch-tree';
import type { DecisionLeaf } from './decision-leaf';
import { DECISION_PROOF_FORMAT, type DecisionBatchBody, type DecisionProof } from './decision-proof';

interface BatchRow {
  id: string;
  size: number;
  root: string;
  evidence_digest: string;
  ledger_index: string;
}

const TREE_CACHE = 16;
export const MAX_PROOFS_PER_REQUEST = 500;

/**
 * Inclusion proofs of logged decisions: the leaf's audit path in its batch (the batch's leaf
 * hashes are read once and its tree kept for the next proofs of the same batch), the batch's
 * `decisions.committed` record and ledger entry, and the entry's inclusion proof against a signed
 * checkpoint. `verifyDecisionProof` checks one offline.
 */
@Injectable()
export class DecisionProofsService {
  private readonly trees = new Map<string, Promise<BatchTree>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly predictions: PredictionsService,
    private readonly ledger: LedgerService,
    private readonly checkpoints: CheckpointService,
  ) {}

  async proofs(auth: AuthContext, ids: readonly string[]): Promise<DecisionProof[]> {
    const rows = (await this.predictions.findAllVisible(auth, ids, 'read')).map((row) => {
      if (row.batch_id === null || row.leaf_index === null)
        throw new AssayException('PREDICTION_NOT_YET_COMMITTED', `Prediction ${row.id} is not in a committed batch yet`, { id: row.id });
      return { ...row, batch_id: row.batch_id, leaf_index: row.leaf_index };
    });
    const batchIds = [...new Set(rows.map((r) => r.batch_id))];
    const batches = new Map(
      (
        await this.db.query<BatchRow[]>(`SELECT id, size, root, evidence_digest, ledger_index FROM decision_batches WHERE id = ANY($1::uuid[])`, [batchIds])
      ).map((b) => [b.id, b]),
    );
    const note = await this.checkpoints.latest();
    const checkpoint = parseCheckpoint(note);
    const indices = batchIds.map((id) => Number(batches.get(id)!.ledger_index));
    const paths = await this.ledger.inclusionProofs(indices, checkpoint.size);
    const ledgerPart = new Map(
      await Promise.all(
        batchIds.map(async (id, i) => {
          const batch = batches.get(id)!;
          const view = await this.ledger.entry(Number(batch.ledger_index));
          const record = await this.db.query<{ body: DecisionBatchBody }[]>(
            `SELECT body FROM evidence_records WHERE digest = $1 AND kind = 'decisions.committed'`,
            [batch.evidence_digest],
          );
          return [id, { entry: view!.entry, path: paths[i]!.map((h) => h.toString('hex')), body: record[0]!.body }] as const;
        }),
      ),
    );
    const proofs: DecisionProof[] = [];
    for (const row of rows) {
      const batch = batches.get(row.batch_id)!;
      const tree = await this.tree(row.batch_id);
      const part = ledgerPart.get(row.batch_id)!;
      proofs.push({
        format: DECISION_PROOF_FORMAT,
        leaf: JSON.parse(row.leaf) as DecisionLeaf,
        leafHash: (await this.leafHash(row.batch_id, row.leaf_index)).toString('hex'),
        batch: {
          id: batch.id,
          size: batch.size,
          leafIndex: row.leaf_index,
          root: batch.root.slice('sha256:'.length),
          auditPath: tree.inclusionProof(row.leaf_index).map((h) => h.toString('hex')),
        },
        record: { digest: batch.evidence_digest, body: part.body },
        ledger: { entry: part.entry, treeSize: checkpoint.size, inclusionPath: part.path },
        checkpoint: note,
      });
    }
    return proofs;
  }

  private async leafHash(batchId: string, index: number): Promise<Buffer> {
    const tree = await this.tree(batchId);
    return tree.leaf(index);
  }

  private tree(batchId: string): Promise<BatchTree> {
    let tree = this.trees.get(batchId);
    if (!tree) {
      tree = this.db
        .query<{ leaf_hash: Buffer }[]>(
          `SELECT leaf_hash FROM (SELECT leaf_hash, leaf_index FROM predictions WHERE batch_id = $1
             UNION ALL SELECT leaf_hash, leaf_index FROM prediction_outcomes WHERE batch_id = $1) l ORDER BY leaf_index`,
          [batchId],
        )
        .then((rows) => new BatchTree(rows.map((r) => r.leaf_hash)));
      tree.catch(() => this.trees.delete(batchId));
      this.trees.set(batchId, tree);
      while (this.trees.size > TREE_CACHE) this.trees.delete(this.trees.keys().next().value as string);
    }
    return tree;
  }
}
