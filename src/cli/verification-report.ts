/** The human-readable report of `assay verify` (and the end of `assay demo`). */
import type { BundleCheck, BundleVerificationReport } from '../governance/exports/bundle';

const MARK: Record<BundleCheck['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

export function formatVerificationReport(file: string, report: BundleVerificationReport): string {
  const out: string[] = [];
  const p = report.predicate;
  out.push(`Evidence bundle ${file}`);
  if (p) {
    out.push(`  model        ${p.model.name} version ${p.model.version} (${p.model.versionId})`);
    out.push(`  model digest ${p.model.modelDigest}`);
    out.push(`  ledger       ${p.checkpoint.origin}, tree size ${p.checkpoint.treeSize}, signed by ${p.ledgerKey.name}+${p.ledgerKey.keyId}`);
    out.push(`  created      ${p.createdAt} by ${p.generator.name} ${p.generator.version}`);
  }
  out.push(`  ${report.counts.files} files, ${report.counts.records} evidence records, ${report.counts.entries} ledger entries, ${report.counts.decisions} policy decisions`);
  out.push('');
  for (const check of report.checks) {
    out.push(`${MARK[check.status]}  ${check.id.padEnd(21)} ${check.title}`);
    const shown = check.status === 'fail' ? check.details.slice(0, 20) : check.details.slice(0, 3);
    for (const detail of shown) out.push(`        ${check.status === 'fail' ? '✗' : '·'} ${detail}`);
    if (check.details.length > shown.length) out.push(`        … and ${check.details.length - shown.length} more`);
  }
  out.push('');
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const warned = report.checks.filter((c) => c.status === 'warn').map((c) => c.id);
  if (failed.length) out.push(`NOT VERIFIED: ${failed.length} check(s) failed: ${failed.join(', ')}`);
  else out.push(`VERIFIED${warned.length ? ` with warnings (${warned.join(', ')})` : ''}`);
  return `${out.join('\n')}\n`;
}
