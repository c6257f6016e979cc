/**
 * `privacy`: the latest `privacy.scanned` record of every dataset in the document (a version is
 * scanned again when a datasheet is recorded for it), its PII findings merged by entity type, the
 * k-anonymity the training split's scan measured over its declared quasi-identifiers, and the
 * lawful basis the training data's datasheet declares. Null when no dataset has been scanned.
 */
import type { DatasetEvidence, PrivacyFinding, PrivacyScanSummary, PrivacySection } from '../evidence-document';
import { readRecord } from './assembly.error';
import type { PrivacyScannedBody } from './producer-bodies';
import type { Evidence, RecordSet } from './record-set';

interface Scan {
  dataset: DatasetEvidence;
  record: Evidence<PrivacyScannedBody>;
}

function summary({ dataset, record }: Scan): PrivacyScanSummary {
  return readRecord(record, () => ({
    datasetVersionId: dataset.versionId,
    role: dataset.role,
    digest: record.digest,
    rows: record.body.rows,
    piiColumns: [...record.body.piiColumns],
  }));
}

/**
 * One finding per entity type over all scans: the columns it was found in, how many (scan, column)
 * findings there were, and the largest share of a column's values and the highest confidence.
 */
function mergeFindings(scans: readonly Scan[]): PrivacyFinding[] {
  const merged = new Map<string, PrivacyFinding>();
  for (const { record } of scans) {
    readRecord(record, () => {
      for (const { column, findings } of record.body.pii) {
        for (const finding of findings) {
          const entry = merged.get(finding.entityType) ?? { entityType: finding.entityType, columns: [], count: 0, maxShare: 0, maxConfidence: 0 };
          if (!entry.columns.includes(column)) entry.columns.push(column);
          entry.count += 1;
          entry.maxShare = Math.max(entry.maxShare, finding.share);
          entry.maxConfidence = Math.max(entry.maxConfidence, finding.confidence);
          merged.set(finding.entityType, entry);
        }
      }
    });
  }
  return [...merged.values()].sort((a, b) => (a.entityType < b.entityType ? -1 : a.entityType > b.entityType ? 1 : 0));
}

export function privacySection(current: RecordSet, datasets: readonly DatasetEvidence[]): PrivacySection | null {
  const scans = datasets.flatMap((dataset): Scan[] => {
    const record = current.latest<PrivacyScannedBody>('privacy.scanned', dataset.versionId);
    return record ? [{ dataset, record }] : [];
  });
  if (scans.length === 0) return null;
  const findings = mergeFindings(scans);
  const training = scans.find((scan) => scan.dataset.role === 'training');
  const risk = training ? readRecord(training.record, () => training.record.body.reidentification) : null;
  const legalBasis = datasets.find((dataset) => dataset.role === 'training')?.datasheet?.legalBasis;
  return {
    scans: scans.map(summary),
    findings,
    personalDataDetected: findings.length > 0,
    kAnonymity: risk ? { k: risk.k, quasiIdentifiers: [...risk.quasiIdentifiers], records: risk.records, classes: risk.classes } : null,
    legalBasis: legalBasis ? { ...legalBasis } : null,
  };
}
