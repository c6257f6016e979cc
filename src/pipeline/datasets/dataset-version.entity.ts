import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ColumnType } from './table';

export interface VersionColumn {
  name: string;
  type: ColumnType;
}

/** An immutable, content-addressed version of a dataset: an upload or a transformation output. */
@Entity({ name: 'dataset_versions' })
export class DatasetVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'dataset_id', type: 'uuid' }) datasetId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'text' }) origin!: 'upload' | 'transformation';
  /** sha256 of the uploaded bytes (uploads only). */
  @Column({ name: 'raw_digest', type: 'text', nullable: true }) rawDigest!: string | null;
  /** sha256 of the canonical parsed table (assay.table/v1), also its artifact address. */
  @Column({ name: 'table_digest', type: 'text' }) tableDigest!: string;
  @Column({ name: 'options_digest', type: 'text' }) optionsDigest!: string;
  @Column({ name: 'byte_count', type: 'bigint' }) byteCount!: string;
  @Column({ name: 'row_count', type: 'bigint' }) rowCount!: string;
  @Column({ name: 'column_count', type: 'integer' }) columnCount!: number;
  @Column({ type: 'jsonb' }) columns!: VersionColumn[];
  @Column({ type: 'jsonb' }) profile!: Record<string, unknown>;
  @Column({ type: 'jsonb' }) ingest!: Record<string, unknown>;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
