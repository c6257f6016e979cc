/** The page header (what model, from which run, seed and backend) and the datasets it was trained and measured on. */
import type { ModelReport } from '../../model-report';
import { MISSING } from '../../report-format';
import { definitionList, notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

export function headerSection(report: ModelReport): Html {
  const { model } = report;
  return html`<header>
    <p class="kicker">Model report</p>
    <h1>${model.name}${model.version === null ? null : html` <span class="version">version ${model.version}</span>`}</h1>
    ${definitionList([
      ['Model id', model.modelId ?? MISSING],
      ['Model version', model.version === null ? 'not registered' : String(model.version)],
      ['Training run id', model.runId],
      ['Model digest', model.modelDigest === null ? MISSING : html`<code>${model.modelDigest}</code>`],
      ['Model type', model.modelType ?? MISSING],
      ['Backend', model.backend],
      ['Seed', String(model.seed)],
      ['Classes', model.classes === null ? MISSING : model.classes.map((name, index) => `${index} = ${name}`).join(', ')],
      ['Report assembled', report.generatedAt ?? MISSING],
    ])}
  </header>`;
}

export function datasetsSection(report: ModelReport): Html {
  const body =
    report.datasets.length === 0
      ? notAvailable('no dataset versions are recorded for this model.')
      : table({
          caption: 'Dataset versions used for training and measurement',
          head: ['Role', 'Dataset', 'Dataset id', 'Version', 'Digest'],
          rows: report.datasets.map((d) => [
            d.role,
            d.name,
            d.datasetId ?? MISSING,
            d.version === null ? MISSING : String(d.version),
            html`<code>${d.digest}</code>`,
          ]),
          numeric: false,
        });
  return section('datasets', 'Datasets', body);
}
