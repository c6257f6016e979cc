/** Energy and emissions per measured activity: always with bounds, the method, its assumptions' source, and the grid intensity's source. */
import type { EnergyMeasurement } from '../../../../energy';
import type { ModelReport, ReportedEnergy } from '../../model-report';
import { MISSING, formatNumber, formatSignificant } from '../../report-format';
import { notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

const METHODS: Record<EnergyMeasurement['method'], string> = {
  rapl: 'measured: RAPL package energy counters, apportioned to this process',
  'tdp-estimate': 'estimated: TDP per core × CPU time, plus memory (not measured)',
};

function bounded(value: number, bounds: readonly [number, number], unit: string): string {
  return `${formatSignificant(value)} ${unit} [${formatSignificant(bounds[0])}, ${formatSignificant(bounds[1])}]`;
}

function measurementTable(entry: ReportedEnergy): Html {
  const m = entry.measurement;
  const grid = m.gridIntensity;
  return table({
    caption: `Energy and emissions of ${entry.activity}`,
    head: ['Quantity', 'Value'],
    numeric: false,
    rows: [
      ['Method', METHODS[m.method]],
      ['Energy', bounded(m.energyKwh, m.energyBoundsKwh, 'kWh')],
      ['CO2e', bounded(m.co2eGrams, m.co2eBoundsGrams, 'g')],
      [
        'Grid intensity',
        `${formatSignificant(grid.gCo2ePerKwh)} gCO2e/kWh ± ${formatSignificant(grid.relativeUncertainty * 100)}% (${grid.region}, ${grid.year})`,
      ],
      ['Grid intensity source', grid.source],
      ['Wall time', `${formatNumber(m.wallSeconds, 1)} s`],
      ['CPU time', `${formatNumber(m.cpuSeconds, 1)} s (utilisation ${formatNumber(m.cpuUtilisation, 2)} of ${m.assumptions.cores} CPUs)`],
      ['Peak memory', `${formatSignificant(m.peakRssBytes / 1e6)} MB (${m.peakRssBasis})`],
      ['Estimated FLOPs', m.estimatedFlops === undefined ? MISSING : m.estimatedFlops.toExponential(2)],
      ['Power usage effectiveness', formatNumber(m.assumptions.pue, 2)],
      ['CPU', m.cpu.model],
      ['Window', `${m.startedAt} to ${m.endedAt}`],
    ],
  });
}

function lines(title: string, items: readonly string[]): Html | null {
  return items.length === 0
    ? null
    : html`<p>${title}:</p>
        <ul>
          ${items.map((item) => html`<li>${item}</li>`)}
        </ul>`;
}

export function energySection(report: ModelReport): Html {
  const energy = report.energy;
  if (energy === null || energy.length === 0) return section('energy', 'Energy and emissions', notAvailable('no energy measurement is recorded.'));
  return section(
    'energy',
    'Energy and emissions',
    html`<p>Bounds in brackets are [low, high]; the point estimate lies between them.</p>
      ${energy.map((entry) => html`${measurementTable(entry)}${lines('Notes', entry.measurement.notes)}${lines('Warnings', entry.measurement.warnings)}`)}`,
  );
}
