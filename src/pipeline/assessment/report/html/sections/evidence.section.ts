/** The evidence records the report was assembled from, by kind and digest, so each figure can be traced and verified. */
import type { ModelReport } from '../../model-report';
import { MISSING } from '../../report-format';
import { notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

export function evidenceSection(report: ModelReport): Html {
  if (report.evidence.length === 0) return section('evidence', 'Evidence records', notAvailable('no evidence records are listed for this report.'));
  return section(
    'evidence',
    'Evidence records',
    table({
      caption: 'Evidence records behind this report',
      head: ['Kind', 'Digest', 'Record id', 'Recorded at'],
      numeric: false,
      rows: report.evidence.map((e) => [e.kind, html`<code>${e.digest}</code>`, e.id ?? MISSING, e.createdAt ?? MISSING]),
    }),
  );
}
