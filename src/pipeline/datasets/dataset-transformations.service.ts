import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { sha256Digest } from '../../platform/ledger/verification';
import { DatasetVersionHooks, type VersionRowObserver } from './dataset-version.hooks';
import type { DatasetVersionResponseDto } from './dataset-version.dto';
import { DatasetVersionsService, toVersionResponse } from './dataset-versions.service';
import { DatasheetsService } from './datasheets.service';
import { TableProfiler, type TableProfile } from './ingest';
import type { Table } from './table';
import { loadPseudonymisationKey } from './pseudonymisation-key';
import { readTableArtifact, writeTableArtifact } from './table-artifact';
import { applyTransformation, TransformationError, validateTransformationSpec } from './transformations';

export interface TransformationView {
  id: string;
  inputVersionId: string;
  spec: unknown;
  summary: Record<string, unknown>;
  outputs: { role: string; version: DatasetVersionResponseDto }[];
  startedAt: string;
  endedAt: string;
}

interface PreparedOutput {
  output: { role: string; table: Table };
  artifact: { digest: string; size: number };
  profile: TableProfile;
  versionId: string;
  observers: VersionRowObserver[];
}

/** Distinct values profiled per column of a derived version (as at ingest). */
const DISTINCT_CAP = 10_000;

@Injectable()
export class DatasetTransformationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: DatasetVersionsService,
    private readonly datasheets: DatasheetsService,
    private readonly artifacts: ArtifactStore,
    private readonly evidence: EvidenceService,
    private readonly hooks: DatasetVersionHooks,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /** Applies a declarative transformation to a version; each output becomes a new version with its provenance. */
  async transform(auth: AuthContext, datasetId: string, number: number, body: unknown): Promise<TransformationView> {
    const { dataset, version: input } = await this.versions.findAuthorized(auth, datasetId, number, 'update');
    const table = await readTableArtifact(this.artifacts, input.tableDigest);
    const validation = validateTransformationSpec(body, table);
    if (!validation.ok) {
      throw new AssayException('TRANSFORMATION_INVALID', 'The transformation spec is invalid for this version', { problems: validation.problems });
    }
    const spec = validation.spec;
    const startedAt = new Date();
    let result;
    try {
      result = applyTransformation(table, spec, spec.type === 'pseudonymise' ? { pseudonymisationKey: loadPseudonymisationKey(this.config) } : {});
    } catch (error) {
      if (error instanceof TransformationError) {
        throw new AssayException('TRANSFORMATION_INVALID', error.message, { problems: error.problems });
      }
      throw error;
    }
    const endedAt = new Date();
    const datasheet = await this.datasheets.latest(input);
    const transformationId = randomUUID();

    // Artifacts, profiles and privacy observations first: no database connection is held meanwhile.
    const prepared: PreparedOutput[] = [];
    for (const output of result.outputs) {
      const artifact = await writeTableArtifact(this.artifacts, output.table);
      const profiler = new TableProfiler(output.table.columns, DISTINCT_CAP);
      const versionId = randomUUID();
      const observers = this.hooks.create({ datasetId, versionId, columns: output.table.columns, datasheet });
      for (const row of output.table.rows) {
        profiler.add(row);
        observers.forEach((observer) => observer.onRow(row));
      }
      prepared.push({ output, artifact, profile: profiler.result(output.table.rows.length, 0), versionId, observers });
    }

    return this.db.transaction(async (tx) => {
      const outputs: { role: string; version: DatasetVersionResponseDto }[] = [];
      for (const p of prepared) {
        const version = await this.versions.register(
          tx,
          {
            dataset,
            versionId: p.versionId,
            origin: 'transformation',
            rawDigest: null,
            tableDigest: p.artifact.digest,
            optionsDigest: sha256Digest(spec),
            byteCount: p.artifact.size,
            rows: p.output.table.rows.length,
            columns: p.profile.columns.map((c) => ({ name: c.name, type: c.type })),
            profile: p.profile as unknown as Record<string, unknown>,
            ingest: { transformationId, role: p.output.role, spec },
            createdBy: auth.user.id,
            derivedFrom: { transformationId, inputVersionId: input.id, role: p.output.role },
          },
          p.observers,
        );
        outputs.push({ role: p.output.role, version: toVersionResponse(version, true) });
      }
      const outputRefs = outputs.map((o) => ({ role: o.role, versionId: o.version.id, tableDigest: o.version.tableDigest }));
      await tx.query(
        `INSERT INTO dataset_transformations (id, dataset_id, input_version_id, spec, summary, outputs, started_at, ended_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [transformationId, dataset.id, input.id, JSON.stringify(spec), JSON.stringify(result.summary), JSON.stringify(outputRefs), startedAt, endedAt, auth.user.id],
      );
      await this.evidence.record(tx, {
        kind: 'dataset.transformed',
        subject: { type: 'dataset_version', id: input.id },
        actor: userActor(auth.user.id),
        body: {
          transformationId,
          datasetId: dataset.id,
          inputVersionId: input.id,
          inputTableDigest: input.tableDigest,
          spec,
          summary: result.summary,
          outputs: outputRefs,
          startedAt: startedAt.toISOString(),
          endedAt: endedAt.toISOString(),
        },
      });
      return {
        id: transformationId,
        inputVersionId: input.id,
        spec,
        summary: result.summary,
        outputs,
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
      };
    });
  }
}
