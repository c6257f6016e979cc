import type { EntityManager } from 'typeorm';
import type { EvidenceService } from '../../platform/evidence/evidence.service';
import type { Actor } from '../../platform/ledger/actor';
import { annotateActiveSpan, ATTR, withSpan } from '../../platform/observability/tracing/spans';
import type { VersionRowObserver, VersionScanContext } from '../datasets/dataset-version.hooks';
import type { Row } from '../datasets/table';
import { ColumnPiiScanner } from './recognizers';
import { EquivalenceClassCounter, LabelBalanceAccumulator } from './reidentification';

export interface PrivacyThresholds {
  k: number;
  l: number;
}

interface DeclaredColumns {
  labelColumn?: string;
  sensitiveAttributes?: string[];
  quasiIdentifiers?: string[];
}

/**
 * The privacy scan of one version, fed row by row while the version streams past: PII
 * recognisers on every column; with a datasheet, re-identification risk over its
 * quasi-identifiers and label balance by its sensitive attributes. Recorded as
 * `privacy.scanned` evidence in the version's (or datasheet's) transaction.
 */
export class PrivacyScanObserver implements VersionRowObserver {
  private readonly scanners: ColumnPiiScanner[];
  private readonly classes: EquivalenceClassCounter | null;
  private readonly balance: LabelBalanceAccumulator | null;
  private readonly declared: Required<DeclaredColumns>;
  private rows = 0;

  constructor(
    private readonly context: VersionScanContext,
    private readonly evidence: EvidenceService,
    private readonly thresholds: PrivacyThresholds,
  ) {
    this.scanners = context.columns.map((name) => new ColumnPiiScanner(name, { maxExamples: 3 }));
    const composition = (context.datasheet?.composition ?? {}) as DeclaredColumns;
    this.declared = {
      labelColumn: composition.labelColumn ?? '',
      sensitiveAttributes: composition.sensitiveAttributes ?? [],
      quasiIdentifiers: composition.quasiIdentifiers ?? [],
    };
    const indexOf = (name: string) => context.columns.indexOf(name);
    const qis = this.declared.quasiIdentifiers.map(indexOf).filter((i) => i >= 0);
    const sensitive = this.declared.sensitiveAttributes.map(indexOf).filter((i) => i >= 0);
    this.classes = qis.length > 0 ? new EquivalenceClassCounter(qis, sensitive) : null;
    const label = this.declared.labelColumn;
    this.balance =
      label && indexOf(label) >= 0 && this.declared.sensitiveAttributes.length > 0
        ? new LabelBalanceAccumulator(context.columns, label, this.declared.sensitiveAttributes.filter((c) => indexOf(c) >= 0))
        : null;
  }

  onRow(row: Row): void {
    this.rows++;
    for (let i = 0; i < this.scanners.length; i++) this.scanners[i]!.add(row[i] ?? null);
    this.classes?.add(row);
    this.balance?.add(row);
  }

  /** The `assay.privacy_scan` span covers the verdicts and their evidence (the rows were counted as they streamed past, inside `assay.ingest`). */
  finish(tx: EntityManager, actor: Actor): Promise<void> {
    const attributes = {
      [ATTR.datasetId]: this.context.datasetId,
      [ATTR.datasetVersionId]: this.context.versionId,
      [ATTR.rows]: this.rows,
      'assay.privacy.with_datasheet': this.context.datasheet !== null,
    };
    return withSpan('assay.privacy_scan', attributes, () => this.record(tx, actor));
  }

  private async record(tx: EntityManager, actor: Actor): Promise<void> {
    const columns = this.context.columns.map((name, i) => ({ column: name, findings: this.scanners[i]!.result() }));
    annotateActiveSpan({ 'assay.privacy.pii_columns': columns.filter((c) => c.findings.length > 0).length });
    const reidentification = this.classes
      ? { quasiIdentifiers: this.declared.quasiIdentifiers, sensitiveAttributes: this.declared.sensitiveAttributes, ...this.classes.result({ kThreshold: this.thresholds.k, lThreshold: this.thresholds.l }) }
      : null;
    await this.evidence.record(tx, {
      kind: 'privacy.scanned',
      subject: { type: 'dataset_version', id: this.context.versionId },
      actor,
      body: JSON.parse(
        JSON.stringify({
          datasetId: this.context.datasetId,
          versionId: this.context.versionId,
          rows: this.rows,
          withDatasheet: this.context.datasheet !== null,
          pii: columns.filter((c) => c.findings.length > 0),
          piiColumns: columns.filter((c) => c.findings.length > 0).map((c) => c.column),
          reidentification,
          labelBalance: this.balance?.result() ?? null,
        }),
      ) as Record<string, unknown>,
    });
  }
}
