import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in the caller's transaction when one is given (so that a business write, its
 * evidence and its ledger entry commit together), else in a new one.
 */
export function inTransaction<T>(db: DataSource, tx: EntityManager | undefined, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (tx) {
    assertInTransaction(tx);
    return work(tx);
  }
  return db.transaction(work);
}

export function assertInTransaction(tx: EntityManager): void {
  if (!tx.queryRunner?.isTransactionActive) {
    throw new Error('This write must join a transaction: pass the EntityManager of dataSource.transaction()');
  }
}
