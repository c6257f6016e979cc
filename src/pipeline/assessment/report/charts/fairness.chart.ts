/**
 * Per-group outcome rates for one attribute set: selection rate and true positive rate with their
 * bootstrap intervals, and on the selection-rate panel the four-fifths line (threshold × the
 * reference group's rate; 29 CFR §1607.4(D)). Groups too small to judge stay on the chart: their
 * bars are faded with a dashed outline, and their axis label says "too small", so the flag does
 * not rest on colour alone. A rate that is undefined for a group is written out as text.
 */
import type { AttributeSetFairness, GroupFairness, MetricEstimate } from '../../../evaluation';
import { formatCount, formatEstimate, formatNumber, formatPercent, groupLabel, undefinedReasonText } from '../report-format';
import { chartName, unitInterval, type ChartDefinition, type LayerSpec, type PositionDef, type UnitSpec } from './chart-definition';
import { CHART_CONFIG, COLOURS, VEGA_LITE_SCHEMA } from './chart-theme';

const JUDGED = 'Large enough to judge';
const SMALL = 'Too small to judge (left out of comparisons)';

type Rate = 'selectionRate' | 'truePositiveRate';
const RATE_TITLES: Record<Rate, string> = { selectionRate: 'Selection rate', truePositiveRate: 'True positive rate' };

/** One axis label per group, unique even if two groups' values join to the same text. */
function axisLabels(groups: readonly GroupFairness[]): string[] {
  const seen = new Set<string>();
  return groups.map((group) => {
    const base = `${groupLabel(group.values)} (n=${formatCount(group.size)}${group.tooSmallToJudge ? ', too small' : ''})`;
    let label = base;
    for (let k = 2; seen.has(label); k++) label = `${base} #${k}`;
    seen.add(label);
    return label;
  });
}

function rateRows(groups: readonly GroupFairness[], labels: readonly string[], rate: Rate) {
  return groups.map((group, g) => {
    const estimate: MetricEstimate = group[rate];
    return {
      group: labels[g] as string,
      judgement: group.tooSmallToJudge ? SMALL : JUDGED,
      value: estimate.value,
      lower: estimate.ci?.lower ?? null,
      upper: estimate.ci?.upper ?? null,
      note: estimate.value === null ? `undefined: ${undefinedReasonText(estimate.reason)}` : null,
    };
  });
}

/** threshold × the reference group's selection rate; null when the rule could not be judged. */
function fourFifthsCutoff(set: AttributeSetFairness): number | null {
  const rule = set.fourFifthsRule;
  if (rule.referenceGroup === null) return null;
  const key = JSON.stringify(rule.referenceGroup);
  const top = set.groups.find((group) => JSON.stringify(group.values) === key)?.selectionRate.value;
  return top === undefined || top === null ? null : rule.threshold * top;
}

function fourFifthsLine(cutoff: number): UnitSpec {
  return {
    data: { values: [{ cutoff }] },
    name: 'four_fifths_line',
    mark: { type: 'rule', color: COLOURS.secondary, strokeDash: [6, 3], strokeWidth: 2 },
    encoding: { x: unitInterval('cutoff', RATE_TITLES.selectionRate) },
  };
}

function ratePanel(set: AttributeSetFairness, labels: readonly string[], rate: Rate, showLabels: boolean): LayerSpec {
  const rows = rateRows(set.groups, labels, rate);
  const y: PositionDef = {
    field: 'group',
    type: 'nominal',
    sort: null,
    // An explicit domain keeps both panels aligned when a rate is undefined for some group.
    scale: { domain: [...labels] },
    axis: showLabels ? { title: null, labelLimit: 320 } : { title: null, labels: false, ticks: false },
  };
  const cutoff = rate === 'selectionRate' ? fourFifthsCutoff(set) : null;
  return {
    width: 260,
    height: { step: 26 },
    title: RATE_TITLES[rate],
    data: { values: rows },
    layer: [
      {
        name: `${rate}_bars`,
        mark: { type: 'bar', color: COLOURS.primary, stroke: COLOURS.primary, strokeWidth: 1.5 },
        encoding: {
          y,
          x: unitInterval('value', RATE_TITLES[rate]),
          fillOpacity: { field: 'judgement', type: 'ordinal', title: 'Group', scale: { domain: [JUDGED, SMALL], range: [0.9, 0.25] } },
          strokeDash: {
            field: 'judgement',
            type: 'ordinal',
            title: 'Group',
            scale: {
              domain: [JUDGED, SMALL],
              range: [
                [1, 0],
                [4, 3],
              ],
            },
          },
        },
      },
      {
        name: `${rate}_intervals`,
        mark: { type: 'errorbar', ticks: true, color: COLOURS.text },
        encoding: { y, x: unitInterval('lower', RATE_TITLES[rate]), x2: { field: 'upper' } },
      },
      {
        data: { values: rows.filter((row) => row.note !== null) },
        name: `${rate}_notes`,
        mark: { type: 'text', align: 'left', dx: 4, color: COLOURS.text, fontSize: 11 },
        encoding: { y, x: { datum: 0, type: 'quantitative' }, text: { field: 'note' } },
      },
      ...(cutoff === null ? [] : [fourFifthsLine(cutoff)]),
    ],
  };
}

function describe(set: AttributeSetFairness, name: string): string {
  const rule = set.fourFifthsRule;
  const small = set.groups.filter((group) => group.tooSmallToJudge).length;
  const groups = set.groups.map(
    (group) =>
      `${groupLabel(group.values)}: n=${formatCount(group.size)}, selection rate ${formatEstimate(group.selectionRate)}, true positive rate ${formatEstimate(group.truePositiveRate)}` +
      (group.tooSmallToJudge ? ', too small to judge' : ''),
  );
  const outcome =
    rule.passes === null
      ? `The four-fifths rule could not be judged (${rule.reason === null ? 'no reason given' : undefinedReasonText(rule.reason)}).`
      : `The four-fifths rule ${rule.passes ? 'passes' : 'fails'}: the lowest selection rate is ${formatNumber(rule.ratio as number)} of the highest (threshold ${formatNumber(rule.threshold, 2)}).`;
  return (
    `Selection rate and true positive rate per group of ${name}, with bootstrap intervals. ${outcome} ` +
    (small > 0 ? `${small} group${small === 1 ? ' is' : 's are'} too small to judge and left out of the comparisons. ` : '') +
    `${groups.join('; ')}.`
  );
}

function subtitle(set: AttributeSetFairness): string[] {
  const cutoff = fourFifthsCutoff(set);
  return [
    `Bars: estimates; whiskers: ${formatPercent(intervalLevel(set))} bootstrap intervals. Faded bars with a dashed outline: groups too small to judge.`,
    cutoff === null
      ? 'Four-fifths rule: not judged.'
      : `Dashed vertical line: four-fifths threshold, ${formatNumber(set.fourFifthsRule.threshold, 2)} × the highest selection rate = ${formatNumber(cutoff)}.`,
  ];
}

function intervalLevel(set: AttributeSetFairness): number {
  for (const group of set.groups) if (group.selectionRate.ci !== null) return group.selectionRate.ci.level;
  return set.groups[0]?.selectionRate.ci?.level ?? 0.95;
}

/** `index` (0-based, the set's position in the assessment) makes the name unique. */
export function fairnessChartName(set: Pick<AttributeSetFairness, 'attributes'>, index: number): string {
  return chartName(`fairness-${index + 1}`, set.attributes.join('-'));
}

export function fairnessChart(set: AttributeSetFairness, index: number): ChartDefinition {
  const name = set.attributes.join(' × ');
  const labels = axisLabels(set.groups);
  const title = `Fairness by ${name}`;
  const description = describe(set, name);
  return {
    name: fairnessChartName(set, index),
    title,
    description,
    vegaLite: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: subtitle(set) },
      description,
      config: CHART_CONFIG,
      hconcat: [ratePanel(set, labels, 'selectionRate', true), ratePanel(set, labels, 'truePositiveRate', false)],
    },
  };
}
