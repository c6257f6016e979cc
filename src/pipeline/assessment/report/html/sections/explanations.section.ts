/**
 * Example explanations: per example, the prediction, the top attributions per original column for
 * each method, and whether the method's own check held (integrated gradients: completeness;
 * KernelSHAP: efficiency). A failed check is said in words, not only in colour.
 */
import type { IntegratedGradientsSummary, KernelShapSummary, MethodExplanation } from '../../../../explainability';
import type { ModelReport, ReportedExplanation } from '../../model-report';
import { formatCount, formatNumber, formatSignificant } from '../../report-format';
import { notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

/** Attributions listed per method; the rest are summed into one line. */
export const TOP_ATTRIBUTIONS = 10;

function classText(classIndex: number, label: string | null): string {
  return label === null ? `class ${classIndex}` : `class ${classIndex} (${label})`;
}

function outcome(passed: boolean, what: string, detail: string): Html {
  return html`<p class="outcome ${passed ? 'pass' : 'fail'}"><strong>${what}: ${passed ? 'passed' : 'FAILED'}.</strong> ${detail}</p>`;
}

function completeness(method: IntegratedGradientsSummary): Html {
  const c = method.completeness;
  return outcome(
    c.passed,
    'Completeness check',
    `Attributions sum to ${formatNumber(c.sum, 4)}; f(x) − f(baseline) = ${formatNumber(c.expected, 4)}; error ${formatSignificant(c.absoluteError)} against a bound of ${formatSignificant(c.bound)} after ${formatCount(c.steps)} integration steps.`,
  );
}

function efficiency(method: KernelShapSummary): Html {
  const e = method.efficiency;
  return outcome(
    e.passed,
    'Efficiency check',
    `Shapley values sum to ${formatNumber(e.sum, 4)}; f(x) − E[f(background)] = ${formatNumber(e.expected, 4)}; error ${formatSignificant(e.absoluteError)} against a bound of ${formatSignificant(e.bound)}. ${
      method.exact ? 'Every coalition was evaluated, so the values are exact' : `${formatCount(method.nsamples)} sampled coalitions`
    }, over ${formatCount(method.backgroundSize)} background rows (seed ${method.seed}).`,
  );
}

function methodBlock(method: MethodExplanation): Html {
  const top = method.attributions.slice(0, TOP_ATTRIBUTIONS);
  const rest = method.attributions.slice(TOP_ATTRIBUTIONS);
  const restSum = rest.reduce((sum, a) => sum + a.value, 0);
  const rows: [string, string][] = top.map((a) => [a.column, formatNumber(a.value, 4)]);
  if (rest.length > 0) rows.push([`${rest.length} other columns together`, formatNumber(restSum, 4)]);
  const heading =
    method.method === 'integrated-gradients'
      ? `Integrated gradients (baseline: ${method.baseline === 'zeros' ? 'all zeros' : 'provided'}, f(baseline) = ${formatNumber(method.baselineScore, 4)})`
      : `KernelSHAP (base value E[f] = ${formatNumber(method.baseValue, 4)})`;
  return html`<h4>${heading}</h4>
    ${table({
      caption: `Top attributions per original column, largest magnitude first`,
      head: ['Column', 'Attribution'],
      rows,
    })}${method.method === 'integrated-gradients' ? completeness(method) : efficiency(method)}`;
}

function example(item: ReportedExplanation, index: number): Html {
  const { prediction, explained, methods, checksPassed } = item.explanation;
  const threshold = prediction.threshold === null ? 'the most probable class' : `threshold ${formatNumber(prediction.threshold, 2)} on class 1`;
  return html`<section class="example" aria-labelledby="example-${index + 1}-heading">
    <h3 id="example-${index + 1}-heading">${item.label}</h3>
    <p>
      Predicted ${classText(prediction.classIndex, prediction.label)} with probability ${formatNumber(prediction.probability)} (${threshold}). The attributions
      explain the ${explained.space} of ${classText(explained.classIndex, explained.label)}, ${formatNumber(explained.score, 4)} for this input.
    </p>
    ${methods.map(methodBlock)}
    <p><strong>${checksPassed ? 'All checks passed.' : 'At least one check failed: treat these attributions with caution.'}</strong></p>
  </section>`;
}

export function explanationsSection(report: ModelReport): Html {
  const explanations = report.explanations;
  if (explanations === null || explanations.length === 0)
    return section('explanations', 'Example explanations', notAvailable('no example predictions have been explained.'));
  return section('explanations', 'Example explanations', html`${explanations.map(example)}`);
}
