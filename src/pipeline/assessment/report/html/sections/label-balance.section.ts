/** Label balance before training (training base rates) beside outcomes after (test base and selection rates), group by group. */
import type { GroupBeforeAfter } from '../../../../evaluation';
import type { ModelReport } from '../../model-report';
import { MISSING, formatCount, formatNumber, groupLabel } from '../../report-format';
import { notAvailable, section, table } from '../html-blocks';
import { html, type Html } from '../html-markup';

function smallNote(side: { tooSmallToJudge: boolean } | null): string {
  return side?.tooSmallToJudge ? ' (too small to judge)' : '';
}

function row(group: GroupBeforeAfter): [string, ...string[]] {
  const { training, evaluation } = group;
  return [
    groupLabel(group.values),
    training === null ? `${MISSING} (absent from training)` : `${formatCount(training.size)}${smallNote(training)}`,
    training === null ? MISSING : formatNumber(training.baseRate),
    evaluation === null ? `${MISSING} (absent from test)` : `${formatCount(evaluation.size)}${smallNote(evaluation)}`,
    evaluation === null ? MISSING : formatNumber(evaluation.baseRate),
    evaluation === null ? MISSING : formatNumber(evaluation.selectionRate),
  ];
}

export function labelBalanceSection(report: ModelReport): Html {
  const balance = report.labelBalance;
  if (balance === null) return section('label-balance', 'Label balance before and after', notAvailable('no label-balance comparison is recorded.'));
  return section(
    'label-balance',
    'Label balance before and after',
    html`<p>
        Share of positive labels per group in the training split (before) beside the test split's positive labels and the model's selections (after). A gap
        between base rate and selection rate shows where the model departs from the labels it learned from.
      </p>
      ${balance.attributeSets.map((set) =>
        table({
          caption: html`Label balance for ${set.attributes.join(' × ')}${set.kind === 'intersection' ? ' (intersection)' : ''}`,
          head: ['Group', 'Training rows', 'Training base rate', 'Test rows', 'Test base rate', 'Test selection rate'],
          rows: set.groups.map(row),
        }),
      )}`,
  );
}
