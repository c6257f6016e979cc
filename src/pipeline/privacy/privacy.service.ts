import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService, type EvidenceRecord } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { DatasetVersionsService } from '../datasets/dataset-versions.service';
import { readTableRows } from '../datasets/table-artifact';
import type { Row } from '../datasets/table';
import { maskValue, type ColumnPiiFinding } from './recognizers';

export const MAX_PREVIEW_ROWS = 100;

export interface PreviewView {
  columns: string[];
  rows: Row[];
  masked: boolean;
  maskedColumns: string[];
}

interface ScanBody {
  pii: { column: string; findings: ColumnPiiFinding[] }[];
}

@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: DatasetVersionsService,
    private readonly evidence: EvidenceService,
    private readonly artifacts: ArtifactStore,
  ) {}

  /** The latest privacy scan of a version (after its datasheet, when one was recorded). */
  async latestScan(auth: AuthContext, datasetId: string, number: number): Promise<EvidenceRecord> {
    const { version } = await this.versions.findAuthorized(auth, datasetId, number, 'read');
    const scans = await this.evidence.forSubject({ type: 'dataset_version', id: version.id }, 'privacy.scanned');
    const latest = scans[scans.length - 1];
    if (!latest) throw new AssayException('DATASET_VERSION_NOT_FOUND', `Version ${number} has not been scanned`);
    return latest;
  }

  /**
   * The first rows of a version. Its owner sees raw values, and that access is recorded in the
   * ledger; everyone else (compliance officers, regulators, admins) sees the columns with PII
   * findings masked.
   */
  async preview(auth: AuthContext, datasetId: string, number: number, limit: number): Promise<PreviewView> {
    const { dataset, version } = await this.versions.findAuthorized(auth, datasetId, number, 'read');
    const raw = auth.ability.can('read_raw', asSubject('Dataset', dataset));
    const rows: Row[] = [];
    let columns: string[] = [];
    for await (const item of readTableRows(this.artifacts, version.tableDigest)) {
      if ('columns' in item) columns = item.columns;
      else if (rows.length < limit) rows.push(item.row);
      else break;
    }
    if (raw) {
      await this.db.transaction((tx) =>
        this.evidence.record(tx, {
          kind: 'dataset.previewed',
          subject: { type: 'dataset_version', id: version.id },
          actor: userActor(auth.user.id),
          body: { datasetId: dataset.id, versionId: version.id, rows: rows.length, masked: false },
        }),
      );
      return { columns, rows, masked: false, maskedColumns: [] };
    }
    const scans = await this.evidence.forSubject({ type: 'dataset_version', id: version.id }, 'privacy.scanned');
    const scan = scans[scans.length - 1]?.body as ScanBody | undefined;
    // Without a scan nothing is known to be safe: mask every column.
    const entityOf = new Map<string, ColumnPiiFinding['entityType'] | null>(
      scan ? scan.pii.map((p) => [p.column, strongest(p.findings)]) : columns.map((c) => [c, null]),
    );
    const masked = rows.map((row) =>
      row.map((cell, i) => {
        const column = columns[i]!;
        if (cell === null || !entityOf.has(column)) return cell;
        const entity = entityOf.get(column);
        return entity ? safeMask(entity, cell) : '***';
      }),
    );
    return { columns, rows: masked, masked: true, maskedColumns: [...entityOf.keys()] };
  }
}

const strongest = (findings: ColumnPiiFinding[]) =>
  [...findings].sort((a, b) => b.confidence - a.confidence)[0]?.entityType ?? null;

function safeMask(entity: ColumnPiiFinding['entityType'], value: string): string {
  try {
    return maskValue(entity, value);
  } catch {
    return '***';
  }
}
