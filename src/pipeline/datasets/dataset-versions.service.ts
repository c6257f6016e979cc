import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { ArtifactStore, type ArtifactWriter } from '../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { sha256Digest } from '../../platform/ledger/verification';
import { ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { DatasetVersionHooks, type VersionRowObserver } from './dataset-version.hooks';
import type { DatasetVersionResponseDto, IngestQueryDto } from './dataset-version.dto';
import { DatasetVersion, type VersionColumn } from './dataset-version.entity';
import { Dataset } from './dataset.entity';
import { DatasetsService } from './datasets.service';
import { ingestDelimited, IngestError, type IngestOptions, type IngestSource } from './ingest';

export interface NewVersion {
  dataset: Dataset;
  versionId: string;
  origin: 'upload' | 'transformation';
  rawDigest: string | null;
  tableDigest: string;
  optionsDigest: string;
  byteCount: number;
  rows: number;
  columns: VersionColumn[];
  profile: Record<string, unknown>;
  ingest: Record<string, unknown>;
  createdBy: string;
  derivedFrom?: Record<string, unknown>;
}

export const toVersionResponse = (version: DatasetVersion, created: boolean): DatasetVersionResponseDto => ({
  id: version.id,
  datasetId: version.datasetId,
  version: version.version,
  origin: version.origin,
  rawDigest: version.rawDigest,
  tableDigest: version.tableDigest,
  byteCount: Number(version.byteCount),
  rows: Number(version.rowCount),
  columns: version.columns,
  profile: version.profile,
  ingest: version.ingest,
  createdBy: version.createdBy,
  createdAt: version.createdAt.toISOString(),
  created,
});

/** The ingest options that decide how bytes become a table (limits excluded: they only refuse). */
const readingOptions = (q: IngestQueryDto) => ({
  delimiter: q.delimiter ?? 'auto',
  header: q.header ?? true,
  columns: q.columns ?? null,
  encoding: q.encoding ?? 'utf-8',
  missing: q.missing ?? ['', '?', 'NA'],
  skipLines: q.skipLines ?? 0,
  onRaggedRow: q.onRaggedRow ?? 'error',
  duplicateColumns: q.duplicateColumns ?? 'rename',
});

@Injectable()
export class DatasetVersionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly datasets: DatasetsService,
    private readonly artifacts: ArtifactStore,
    private readonly evidence: EvidenceService,
    private readonly hooks: DatasetVersionHooks,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /**
   * Streams an upload once: raw bytes and the canonical table go to the artifact store, every
   * row past the profiler and the privacy observers. Nothing is stored unless it all succeeds;
   * the same bytes read the same way return the existing version.
   */
  upload(auth: AuthContext, datasetId: string, query: IngestQueryDto, body: IngestSource): Promise<DatasetVersionResponseDto> {
    return withSpan('assay.ingest', { [ATTR.datasetId]: datasetId }, async (span) => {
      const version = await this.ingest(auth, datasetId, query, body);
      span.setAttributes({
        [ATTR.datasetVersionId]: version.id,
        [ATTR.rows]: version.rows,
        'assay.dataset.bytes': version.byteCount,
        'assay.dataset_version.created': version.created,
      });
      return version;
    });
  }

  private async ingest(auth: AuthContext, datasetId: string, query: IngestQueryDto, body: IngestSource): Promise<DatasetVersionResponseDto> {
    const dataset = await this.datasets.findAuthorized(auth, datasetId, 'update');
    const reading = readingOptions(query);
    const versionId = randomUUID();
    const raw = this.artifacts.writer();
    const table = this.artifacts.writer();
    let observers: VersionRowObserver[] = [];
    const options: IngestOptions = {
      maxBytes: this.config.ASSAY_DATASET_MAX_BYTES,
      maxRecordBytes: this.config.ASSAY_DATASET_MAX_RECORD_BYTES,
      maxColumns: this.config.ASSAY_DATASET_MAX_COLUMNS,
      delimiter: reading.delimiter,
      header: reading.header,
      columns: reading.columns ?? undefined,
      encoding: reading.encoding,
      missingMarkers: reading.missing,
      skipLines: reading.skipLines,
      onRaggedRow: reading.onRaggedRow,
      duplicateColumns: reading.duplicateColumns,
      onRawChunk: (chunk) => raw.write(chunk),
      onTableChunk: (chunk) => table.write(chunk),
      onColumns: (columns) => {
        observers = this.hooks.create({ datasetId, versionId, columns: [...columns], datasheet: null });
      },
      onRow: (row) => observers.forEach((observer) => observer.onRow(row)),
    };
    let result;
    try {
      result = await ingestDelimited(body, options);
    } catch (error) {
      await Promise.all([raw.abort(), table.abort()]);
      if (error instanceof IngestError) throw new AssayException(error.code, error.message, { ...error.details });
      throw error;
    }
    const [rawArtifact, tableArtifact] = await this.commitBoth(raw, table);
    const { profile } = result;
    const optionsDigest = sha256Digest(reading);
    return this.db.transaction(async (tx) => {
      const existing = await this.findSameContent(tx, dataset.id, rawArtifact.digest, optionsDigest);
      if (existing) return toVersionResponse(existing, false);
      const version = await this.register(
        tx,
        {
          dataset,
          versionId,
          origin: 'upload',
          rawDigest: rawArtifact.digest,
          tableDigest: tableArtifact.digest,
          optionsDigest,
          byteCount: result.byteCount,
          rows: profile.rowCount,
          columns: profile.columns.map((c) => ({ name: c.name, type: c.type })),
          profile: profile as unknown as Record<string, unknown>,
          ingest: { ...reading, format: result.format, renamedColumns: result.renamedColumns, skippedLines: result.skippedLines },
          createdBy: auth.user.id,
        },
        observers,
      );
      return toVersionResponse(version, true);
    });
  }

  /** Inserts a version (next number under a lock on its dataset), its evidence, and what the observers found. */
  async register(tx: EntityManager, input: NewVersion, observers: VersionRowObserver[]): Promise<DatasetVersion> {
    await tx.query('SELECT id FROM datasets WHERE id = $1 FOR UPDATE', [input.dataset.id]);
    const [row] = await tx.query<{ next: number }[]>(
      'SELECT coalesce(max(version), 0) + 1 AS next FROM dataset_versions WHERE dataset_id = $1',
      [input.dataset.id],
    );
    const next = Number(row?.next ?? 1);
    const repository = tx.getRepository(DatasetVersion);
    // jsonb columns: TypeORM's deep-partial typing cannot express arbitrary JSON objects.
    await repository.insert({
      id: input.versionId,
      datasetId: input.dataset.id,
      version: next,
      origin: input.origin,
      rawDigest: input.rawDigest,
      tableDigest: input.tableDigest,
      optionsDigest: input.optionsDigest,
      byteCount: String(input.byteCount),
      rowCount: String(input.rows),
      columnCount: input.columns.length,
      columns: input.columns,
      profile: input.profile as never,
      ingest: input.ingest as never,
      createdBy: input.createdBy,
    });
    const version = await repository.findOneByOrFail({ id: input.versionId });
    const actor = userActor(input.createdBy);
    await this.evidence.record(tx, {
      kind: 'dataset_version.registered',
      subject: { type: 'dataset_version', id: version.id },
      actor,
      body: {
        datasetId: input.dataset.id,
        versionId: version.id,
        version: version.version,
        origin: input.origin,
        rawDigest: input.rawDigest,
        tableDigest: input.tableDigest,
        byteCount: input.byteCount,
        rows: input.rows,
        columns: input.columns,
        ingest: input.ingest,
        profile: input.profile,
        ...(input.derivedFrom ? { derivedFrom: input.derivedFrom } : {}),
      },
    });
    for (const observer of observers) await observer.finish(tx, actor);
    return version;
  }

  async list(auth: AuthContext, datasetId: string): Promise<DatasetVersionResponseDto[]> {
    await this.datasets.findAuthorized(auth, datasetId, 'read');
    const versions = await this.db.getRepository(DatasetVersion).find({ where: { datasetId }, order: { version: 'ASC' } });
    return versions.map((v) => toVersionResponse(v, false));
  }

  async get(auth: AuthContext, datasetId: string, number: number): Promise<DatasetVersionResponseDto> {
    return toVersionResponse((await this.findAuthorized(auth, datasetId, number, 'read')).version, false);
  }

  async findAuthorized(
    auth: AuthContext,
    datasetId: string,
    number: number,
    action: 'read' | 'update' | 'read_raw',
  ): Promise<{ dataset: Dataset; version: DatasetVersion }> {
    const dataset = await this.datasets.findAuthorized(auth, datasetId, action);
    const version = await this.db.getRepository(DatasetVersion).findOneBy({ datasetId, version: number });
    if (!version) throw new AssayException('DATASET_VERSION_NOT_FOUND', `Dataset ${datasetId} has no version ${number}`);
    return { dataset, version };
  }

  private async findSameContent(tx: EntityManager, datasetId: string, rawDigest: string, optionsDigest: string) {
    return tx.getRepository(DatasetVersion).findOneBy({ datasetId, rawDigest, optionsDigest });
  }

  private async commitBoth(raw: ArtifactWriter, table: ArtifactWriter) {
    try {
      return await Promise.all([raw.commit(), table.commit()]);
    } catch (error) {
      await Promise.all([raw.abort(), table.abort()]);
      throw error;
    }
  }
}
