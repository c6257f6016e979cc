import { loadEvidenceCel } from './cel-environment';
import { collectReads } from './expression-reads';

const readsOf = async (expression: string) => {
  const { base } = await loadEvidenceCel();
  const env = base.clone().registerVariable('params', 'map<string, dyn>');
  return collectReads(env.parse(expression).ast).map((read) => read.label);
};

describe(collectReads.name, () => {
  it('records member paths, presence tests and sizes', async () => {
    expect(await readsOf('has(evidence.fairness) && evidence.fairness.minDemographicParityRatio >= params.minRatio && size(evidence.datasets) > 0')).toEqual([
      'evidence.fairness.minDemographicParityRatio',
      'has(evidence.fairness)',
      'params.minRatio',
      'size(evidence.datasets)',
    ]);
  });

  it('projects paths read through macro variables, also nested', async () => {
    expect(
      await readsOf('evidence.datasets.filter(d, d.role == "training").all(d, d.datasheet.sensitiveAttributes.all(s, evidence.fairness.attributeSets.exists(a, s in a.attributes)))'),
    ).toEqual([
      'evidence.datasets[*].datasheet.sensitiveAttributes[*]',
      'evidence.datasets[*].role',
      'evidence.fairness.attributeSets[*].attributes',
    ]);
  });

  it('stops at a collection indexed by a computed key, and resolves literal indexes', async () => {
    expect(await readsOf('evidence.evaluation.metrics[size(evidence.datasets) - 1].value > 0.5 && evidence.datasets[0].name == "x"')).toEqual([
      'evidence.datasets[0].name',
      'evidence.evaluation.metrics',
      'size(evidence.datasets)',
    ]);
  });

  it('follows cel.bind and ignores other variables', async () => {
    expect(await readsOf('cel.bind(f, evidence.fairness, f.attributeSets.size() > 0) && stage == "production" && riskTier != ""')).toEqual([
      'size(evidence.fairness.attributeSets)',
    ]);
  });
});
