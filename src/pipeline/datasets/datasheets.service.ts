import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { DatasetVersionHooks } from './dataset-version.hooks';
import type { DatasetVersion } from './dataset-version.entity';
import { DatasetVersionsService } from './dataset-versions.service';
import { datasheetCompleteness, toDatasheetBody, type DatasheetCompleteness, type DatasheetDto } from './datasheet';
import { readTableRows } from './table-artifact';

export interface DatasheetView {
  versionId: string;
  datasheet: Record<string, unknown>;
  digest: string;
  completeness: DatasheetCompleteness;
  recordedBy: string;
  recordedAt: string;
}

interface DatasheetRow {
  body: Record<string, unknown>;
  digest: string;
  created_by: string;
  created_at: Date;
}

@Injectable()
export class DatasheetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: DatasetVersionsService,
    private readonly evidence: EvidenceService,
    private readonly hooks: DatasetVersionHooks,
    private readonly artifacts: ArtifactStore,
  ) {}

  /**
   * Records a datasheet for a version (a new record each time; the latest counts) and re-runs the
   * privacy scan with the quasi-identifiers, sensitive attributes and label it declares.
   */
  async put(auth: AuthContext, datasetId: string, number: number, dto: DatasheetDto): Promise<DatasheetView> {
    const { version } = await this.versions.findAuthorized(auth, datasetId, number, 'update');
    const columns = version.columns.map((c) => c.name);
    this.assertColumnsExist(dto, columns);
    const body = toDatasheetBody(dto);
    const observers = this.hooks.create({ datasetId, versionId: version.id, columns, datasheet: body });
    if (observers.length > 0) {
      for await (const item of readTableRows(this.artifacts, version.tableDigest)) {
        if ('row' in item) for (const observer of observers) observer.onRow(item.row);
      }
    }
    const actor = userActor(auth.user.id);
    const record = await this.db.transaction(async (tx) => {
      const recorded = await this.evidence.record(tx, {
        kind: 'datasheet.recorded',
        subject: { type: 'dataset_version', id: version.id },
        actor,
        body,
      });
      await tx.query(`INSERT INTO dataset_datasheets (version_id, body, digest, created_by) VALUES ($1, $2, $3, $4)`, [
        version.id,
        JSON.stringify(body),
        recorded.digest,
        auth.user.id,
      ]);
      for (const observer of observers) await observer.finish(tx, actor);
      return recorded;
    });
    return {
      versionId: version.id,
      datasheet: body,
      digest: record.digest,
      completeness: datasheetCompleteness(dto, columns),
      recordedBy: auth.user.id,
      recordedAt: record.createdAt,
    };
  }

  async get(auth: AuthContext, datasetId: string, number: number): Promise<DatasheetView> {
    const { version } = await this.versions.findAuthorized(auth, datasetId, number, 'read');
    const row = await this.latestRow(version);
    if (!row) throw new AssayException('DATASET_VERSION_NOT_FOUND', `Version ${number} has no datasheet yet`);
    return {
      versionId: version.id,
      datasheet: row.body,
      digest: row.digest,
      completeness: datasheetCompleteness(row.body as unknown as DatasheetDto, version.columns.map((c) => c.name)),
      recordedBy: row.created_by,
      recordedAt: row.created_at.toISOString(),
    };
  }

  /** The latest datasheet body of a version, for other services (no access check). */
  async latest(version: DatasetVersion): Promise<Record<string, unknown> | null> {
    return (await this.latestRow(version))?.body ?? null;
  }

  private async latestRow(version: DatasetVersion): Promise<DatasheetRow | undefined> {
    const rows = await this.db.query<DatasheetRow[]>(
      `SELECT body, digest, created_by, created_at FROM dataset_datasheets WHERE version_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [version.id],
    );
    return rows[0];
  }

  private assertColumnsExist(dto: DatasheetDto, columns: string[]): void {
    const known = new Set(columns);
    const { labelColumn, sensitiveAttributes = [], quasiIdentifiers = [] } = dto.composition;
    const unknown = [
      ...(labelColumn && !known.has(labelColumn) ? [{ field: 'composition.labelColumn', column: labelColumn }] : []),
      ...sensitiveAttributes.filter((c) => !known.has(c)).map((column) => ({ field: 'composition.sensitiveAttributes', column })),
      ...quasiIdentifiers.filter((c) => !known.has(c)).map((column) => ({ field: 'composition.quasiIdentifiers', column })),
    ];
    if (unknown.length > 0) {
      throw new AssayException('DATASHEET_INVALID', 'The datasheet names columns this version does not have', { unknown, columns });
    }
  }
}
