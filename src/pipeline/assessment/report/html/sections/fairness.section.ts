/**
 * Fairness per attribute set: the four-fifths rule in words, the between-group disparities with
 * intervals, every group's rates (small groups flagged in words, never hidden), what was left out
 * of which comparison, and the chart.
 */
import type { AttributeSetFairness, Comparison, FairnessAssessment, GroupFairness } from '../../../../evaluation';
import { fairnessChartName } from '../../charts/fairness.chart';
import type { ModelReport } from '../../model-report';
import type { ReportCharts } from '../../report-charts';
import { formatCount, formatEstimate, formatNumber, formatPercent, groupLabel, undefinedReasonText } from '../../report-format';
import { chartFigure, notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

const COMPARISONS: Record<Comparison, string> = {
  demographicParityDifference: 'demographic parity difference',
  demographicParityRatio: 'demographic parity ratio',
  equalOpportunityDifference: 'equal opportunity difference',
  equalizedOddsDifference: 'equalized odds difference',
  fourFifthsRule: 'four-fifths rule',
};

const EXCLUSIONS = {
  'too-small-to-judge': 'too small to judge',
  'no-actual-positives': 'no actual positives, so no true positive rate',
  'no-actual-negatives': 'no actual negatives, so no false positive rate',
} as const;

function setName(set: Pick<AttributeSetFairness, 'attributes'>): string {
  return set.attributes.join(' × ');
}

function selectionRateOf(set: AttributeSetFairness, values: readonly string[]): string {
  const key = JSON.stringify(values);
  const group = set.groups.find((g) => JSON.stringify(g.values) === key);
  return group?.selectionRate.value == null ? '—' : formatNumber(group.selectionRate.value);
}

/** The four-fifths outcome as a sentence a reviewer can quote. */
export function fourFifthsSentence(set: AttributeSetFairness): Html {
  const rule = set.fourFifthsRule;
  if (rule.passes === null || rule.ratio === null || rule.referenceGroup === null) {
    return html`<p class="outcome undetermined">
      <strong>Four-fifths rule: not judged.</strong> ${rule.reason === null ? 'No reason was recorded.' : `${undefinedReasonText(rule.reason)}.`}
    </p>`;
  }
  const reference = `${groupLabel(rule.referenceGroup)} (selection rate ${selectionRateOf(set, rule.referenceGroup)})`;
  const ratio = `The lowest selection rate among groups large enough to judge is ${formatNumber(rule.ratio)} of the highest, that of ${reference}`;
  if (rule.passes) {
    return html`<p class="outcome pass">
      <strong>Four-fifths rule: passes.</strong> ${ratio}; the rule requires at least ${formatNumber(rule.threshold, 2)}.
    </p>`;
  }
  const impacted = rule.adverselyImpactedGroups.map((values) => `${groupLabel(values)} (selection rate ${selectionRateOf(set, values)})`).join(', ');
  return html`<p class="outcome fail">
    <strong>Four-fifths rule: fails.</strong> ${ratio}, below the required ${formatNumber(rule.threshold, 2)}. Selected at less than
    ${formatNumber(rule.threshold, 2)} × the highest rate: ${impacted}.
  </p>`;
}

function groupRow(group: GroupFairness): [string, ...(string | Html)[]] {
  return [
    groupLabel(group.values),
    formatCount(group.size),
    formatCount(group.positives),
    formatCount(group.selected),
    formatEstimate(group.baseRate),
    formatEstimate(group.selectionRate),
    formatEstimate(group.truePositiveRate),
    formatEstimate(group.falsePositiveRate),
    group.tooSmallToJudge ? html`<span class="flag">too small to judge</span>` : 'yes',
  ];
}

function attributeSet(set: AttributeSetFairness, index: number, assessment: FairnessAssessment, charts: ReportCharts): Html {
  const level = formatPercent(assessment.bootstrap.level);
  return html`<section class="attribute-set" aria-labelledby="fairness-${index + 1}-heading">
    <h3 id="fairness-${index + 1}-heading">${setName(set)}${set.kind === 'intersection' ? ' (intersection)' : ''}</h3>
    ${fourFifthsSentence(set)}
    ${table({
      caption: html`Between-group disparities for ${setName(set)}, over groups large enough to judge [${level} interval]`,
      head: ['Disparity', 'Estimate'],
      rows: [
        ['Demographic parity difference (max − min selection rate)', formatEstimate(set.demographicParityDifference)],
        ['Demographic parity ratio (min ÷ max selection rate)', formatEstimate(set.demographicParityRatio)],
        ['Equal opportunity difference (max − min true positive rate)', formatEstimate(set.equalOpportunityDifference)],
        ['Equalized odds difference (larger of the TPR and FPR differences)', formatEstimate(set.equalizedOddsDifference)],
      ],
    })}
    ${table({
      caption: html`Groups of ${setName(set)} [${level} interval]`,
      head: ['Group', 'Size', 'Positives', 'Selected', 'Base rate', 'Selection rate', 'True positive rate', 'False positive rate', 'Large enough to judge'],
      rows: set.groups.map(groupRow),
    })}
    ${
      set.excludedGroups.length === 0
        ? null
        : html`<p>Left out of comparisons:</p>
            <ul>
              ${set.excludedGroups.map(
                (e) =>
                  html`<li>
                    <strong>${groupLabel(e.values)}</strong> (n=${formatCount(e.size)}): ${EXCLUSIONS[e.reason]}; left out of the
                    ${e.excludedFrom.map((c) => COMPARISONS[c]).join(', ')}.
                  </li>`,
              )}
            </ul>`
    }
    ${chartFigure(charts[fairnessChartName(set, index)], `fairness chart for ${setName(set)}`)}
  </section>`;
}

function summary(assessment: FairnessAssessment): Html {
  const { fourFifthsFailures, fourFifthsUndetermined, smallGroups } = assessment.summary;
  const items = [
    fourFifthsFailures.length === 0
      ? html`<li>No attribute set fails the four-fifths rule.</li>`
      : html`<li>
          <strong>Four-fifths rule fails for:</strong> ${fourFifthsFailures.map((f) => `${setName(f)} (ratio ${formatNumber(f.ratio)})`).join('; ')}.
        </li>`,
    fourFifthsUndetermined.length === 0
      ? null
      : html`<li>Not judged for: ${fourFifthsUndetermined.map((u) => `${setName(u)} (${undefinedReasonText(u.reason)})`).join('; ')}.</li>`,
    smallGroups.length === 0
      ? html`<li>Every group is large enough to judge.</li>`
      : html`<li>
          <strong>Groups too small to judge</strong> (fewer than ${formatCount(assessment.minGroupSize)} rows; reported, but left out of comparisons):
          ${smallGroups.map((g) => `${groupLabel(g.values)} in ${setName(g)} (n=${formatCount(g.size)})`).join('; ')}.
        </li>`,
  ].filter((item): item is Html => item !== null);
  return html`<ul class="summary">
    ${items}
  </ul>`;
}

export function fairnessSection(report: ModelReport, charts: ReportCharts): Html {
  const fairness = report.fairness;
  if (fairness === null)
    return section('fairness', 'Fairness', notAvailable('no fairness assessment is recorded (no sensitive attributes, or not yet assessed).'));
  return section(
    'fairness',
    'Fairness',
    html`<p>
        Outcomes per group of every sensitive attribute and intersection on ${formatCount(fairness.rows)} test rows. A row is selected when its score is at
        least ${formatNumber(fairness.threshold, 2)}; the four-fifths rule (29 CFR §1607.4(D)) needs every group's selection rate to be at least
        ${formatNumber(fairness.fourFifthsThreshold, 2)} × the highest. Intervals: ${formatPercent(fairness.bootstrap.level)} ${fairness.bootstrap.method}
        bootstrap, resampled within each group, ${formatCount(fairness.bootstrap.resamples)} resamples.
      </p>
      ${summary(fairness)} ${fairness.attributeSets.map((set, index) => attributeSet(set, index, fairness, charts))}`,
  );
}
