import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../platform/ledger/actor';
import type { Row } from './table';

/** What a later stage is told about a version whose rows are about to stream past. */
export interface VersionScanContext {
  datasetId: string;
  versionId: string;
  columns: string[];
  /** The latest datasheet body, when one has been recorded (the privacy scan reads its QIs). */
  datasheet: Record<string, unknown> | null;
}

/** Sees every row of a version once, then records what it found in the version's transaction. */
export interface VersionRowObserver {
  onRow(row: Row): void;
  finish(tx: EntityManager, actor: Actor): Promise<void>;
}

export type VersionObserverFactory = (context: VersionScanContext) => VersionRowObserver;

/**
 * How later stages (the privacy scan) hook into ingest without the datasets stage importing
 * them: they register a factory at start, and every new version — and every new datasheet —
 * streams its rows through the observers they create.
 */
@Injectable()
export class DatasetVersionHooks {
  private readonly factories: VersionObserverFactory[] = [];

  register(factory: VersionObserverFactory): void {
    this.factories.push(factory);
  }

  create(context: VersionScanContext): VersionRowObserver[] {
    return this.factories.map((factory) => factory(context));
  }
}
