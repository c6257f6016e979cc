import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../../platform/access/auth-context';
import { DatasetVersion } from './dataset-version.entity';
import { DatasetVersionsService } from './dataset-versions.service';
import {
  lineageOf,
  toOpenLineageEvents,
  toProvJson,
  uploadActivity,
  type LineageActivity,
  type LineageGraph,
  type LineageVersion,
} from './provenance';

interface TransformationRow {
  id: string;
  input_version_id: string;
  spec: Record<string, unknown> & { type: string };
  outputs: { role: string; versionId: string }[];
  started_at: Date;
  ended_at: Date;
  created_by: string;
}

/** A version's provenance as W3C PROV-JSON, or its transformations as OpenLineage run events. */
@Injectable()
export class DatasetLineageService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: DatasetVersionsService,
  ) {}

  async prov(auth: AuthContext, datasetId: string, number: number) {
    const { graph, versionId } = await this.graph(auth, datasetId, number);
    return toProvJson(lineageOf(graph, versionId));
  }

  async openLineage(auth: AuthContext, datasetId: string, number: number) {
    const { graph, versionId } = await this.graph(auth, datasetId, number);
    return { events: toOpenLineageEvents(lineageOf(graph, versionId)) };
  }

  /** The dataset's whole derivation graph (versions, uploads, transformations, the people who ran them). */
  private async graph(auth: AuthContext, datasetId: string, number: number): Promise<{ graph: LineageGraph; versionId: string }> {
    const { dataset, version } = await this.versions.findAuthorized(auth, datasetId, number, 'read');
    const all = await this.db.getRepository(DatasetVersion).find({ where: { datasetId }, order: { version: 'ASC' } });
    const transformations = await this.db.query<TransformationRow[]>(
      `SELECT id, input_version_id, spec, outputs, started_at, ended_at, created_by FROM dataset_transformations WHERE dataset_id = $1`,
      [datasetId],
    );
    const versions: LineageVersion[] = all.map((v) => ({
      id: v.id,
      datasetId,
      datasetName: dataset.name,
      version: v.version,
      sha256: v.rawDigest,
      tableSha256: v.tableDigest,
      rows: v.rowCount,
      bytes: v.byteCount,
      columns: v.columns,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
    }));
    const activities: LineageActivity[] = [
      ...all.flatMap((v, i) => (v.origin === 'upload' ? [uploadActivity(versions[i]!, readingParameters(v))] : [])),
      ...transformations.map((t) => ({
        id: t.id,
        type: t.spec.type,
        parameters: t.spec,
        inputs: [t.input_version_id],
        outputs: t.outputs.map((o) => ({ versionId: o.versionId, role: o.role })),
        startedAt: t.started_at,
        endedAt: t.ended_at,
        actor: t.created_by,
      })),
    ];
    const people = new Set([...versions.map((v) => v.createdBy), ...activities.map((a) => a.actor)]);
    // No display names: lineage is exported to regulators and must not carry personal data.
    const agents = [...people].map((id) => ({ id, kind: 'person' as const }));
    return { graph: { versions, activities, agents }, versionId: version.id };
  }
}

const readingParameters = (version: DatasetVersion): Record<string, unknown> => {
  const { format, ...options } = version.ingest as { format?: unknown } & Record<string, unknown>;
  return { ...options, ...(format ? { format } : {}) };
};
