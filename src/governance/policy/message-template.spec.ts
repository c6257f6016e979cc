import { loadEvidenceCel, packEnvironment } from './cel-environment';
import { compileTemplate, renderTemplate } from './message-template';

async function render(source: string, evidence: Record<string, unknown>, params: Record<string, unknown> = {}) {
  const cel = await loadEvidenceCel();
  const { env, convertParams } = packEnvironment(cel, { min: { type: 'double', default: 0.8, description: 'd' }, n: { type: 'int', default: 5, description: 'd' } });
  const compiled = compileTemplate(env, source);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return renderTemplate(compiled.template, { evidence: cel.convertEvidence(evidence), params: convertParams({ min: 0.8, n: 5, ...params }), stage: 'production', riskTier: 'high' });
}

const evidence = () => ({ model: { version: 3, jurisdictions: ['DE', 'CN'] }, fairness: { minDemographicParityRatio: 0.7123456789 }, privacy: null });

describe(renderTemplate.name, () => {
  it('renders ints, doubles (six significant digits), strings, lists and absent values', async () => {
    expect(await render('v{{ evidence.model.version }} ratio {{evidence.fairness.minDemographicParityRatio}} < {{ params.min }} in {{ evidence.model.jurisdictions }}', evidence())).toBe(
      'v3 ratio 0.712346 < 0.8 in [DE, CN]',
    );
    expect(await render('k = {{ evidence.privacy.kAnonymity.k }}; n = {{ params.n }}; {{ stage }}/{{ riskTier }}', evidence())).toBe('k = (absent); n = 5; production/high');
    expect(await render('no expressions', evidence())).toBe('no expressions');
  });

  it('refuses unclosed and empty expressions at their offset', async () => {
    const { env } = packEnvironment(await loadEvidenceCel(), {});
    expect(compileTemplate(env, 'a {{ }} b {{ stage')).toEqual({
      ok: false,
      problems: [
        { offset: 2, message: 'message template: empty {{ }}' },
        { offset: 10, message: 'message template: "{{" is not closed by "}}"' },
      ],
    });
  });
});
