import { loadPolicyPack, loadPolicyPacks } from './policy-pack.loader';
import { PolicyError, formatProblem } from './policy.error';
import { MINIMAL_PACK_YAML, MINIMAL_RULES_YAML, TempPacks } from './policy-pack.fixture';

const packs = new TempPacks();
afterAll(() => packs.cleanup());

let counter = 0;
/** Loads a pack `demo` whose rules file is `rules` and returns the formatted problems (file:line:col message). */
async function problemsOf(files: Record<string, string>): Promise<string[]> {
  const dir = packs.write(`case-${++counter}/demo`, { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML, ...files });
  try {
    await loadPolicyPack(dir);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    expect(error.code).toBe('POLICY_PACK_INVALID');
    return error.problems.map((p) => formatProblem(p).replace(/\S*?case-\d+\//g, ''));
  }
  throw new Error('the pack loaded');
}

const withRule = (fields: string) => `rules:
  - id: r1
    title: A rule
    cites: EU AI Act Art. 10(2)(f)
    stages: [production]
    severity: block
    waivable: false
${fields}`;

describe(loadPolicyPack.name, () => {
  it('loads a valid pack with its parameters, rules and digest', async () => {
    const pack = await loadPolicyPack(packs.write('valid/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML }));
    expect(pack).toMatchObject({ id: 'demo', version: '1.0.0', parameterValues: { minRatio: 0.8 }, appliesTo: { riskTiers: null, jurisdictions: null } });
    expect(pack.rules.map((r) => [r.id, r.cites, r.source.line])).toEqual([['fairness-ratio', ['EU AI Act Art. 10(2)(f)'], 2]]);
    expect(pack.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pack.files.map((f) => f.path)).toEqual(['fairness.rules.yaml', 'pack.yaml']);
  });

  it('refuses invalid YAML with file and line', async () => {
    expect(await problemsOf({ 'fairness.rules.yaml': 'rules:\n  - id: a\n    title: [unclosed\n' })).toEqual([
      expect.stringMatching(/^demo\/fairness\.rules\.yaml:4:1 invalid YAML: /),
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': `${MINIMAL_RULES_YAML}    severity: warn\n` })).toEqual([
      'demo/fairness.rules.yaml:11:5 invalid YAML: Map keys must be unique',
    ]);
  });

  it('refuses an unknown field, naming it where it is', async () => {
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: "true"\n    message: m\n    serverity: warn\n') })).toEqual([
      'demo/fairness.rules.yaml:10:5 /rules/0/serverity: unknown field "serverity"',
    ]);
    expect(await problemsOf({ 'pack.yaml': `${MINIMAL_PACK_YAML}owner: me\n` })).toEqual(['demo/pack.yaml:10:1 /owner: unknown field "owner"']);
  });

  it('refuses wrong types and missing fields', async () => {
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: "true"\n    message: m\n').replace('waivable: false', 'waivable: "no"') })).toEqual([
      'demo/fairness.rules.yaml:7:15 /rules/0/waivable: must be a boolean',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: "true"\n').replace('    cites: EU AI Act Art. 10(2)(f)\n', '    cites: []\n') })).toEqual([
      'demo/fairness.rules.yaml:2:5 /rules/0: missing field "message"',
      'demo/fairness.rules.yaml:4:12 /rules/0/cites: must NOT have fewer than 1 items',
    ]);
    expect(await problemsOf({ 'pack.yaml': MINIMAL_PACK_YAML.replace('"1.0.0"', '1.0') })).toEqual(['demo/pack.yaml:2:10 /version: must be a string']);
  });

  it('refuses a CEL syntax error, pointing into the expression', async () => {
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: evidence.fairness.minDemographicParityRatio >= \n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:8:60 /rules/0/require: CEL syntax error: Unexpected token: EOF',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: |\n      has(evidence.fairness) &&\n        (evidence.fairness ]\n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:10:28 /rules/0/require: CEL syntax error: Expected RPAREN, got RBRACKET',
    ]);
  });

  it('refuses CEL type errors against the evidence document schema and the declared parameters', async () => {
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: evidence.fairnes.minDemographicParityRatio > 0.5\n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:8:23 /rules/0/require: CEL type error: No such key: fairnes',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: evidence.model.riskTier > 1\n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:8:14 /rules/0/require: CEL type error: no such overload: string > int',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: evidence.model.version >= params.minRatoi\n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:8:47 /rules/0/require: CEL type error: No such key: minRatoi',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: evidence.model.version\n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:8:14 /rules/0/require: CEL type error: must be a bool expression, this one is int',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    when: size(evidence.datasets) > "0"\n    require: "true"\n    message: m\n') })).toEqual([
      'demo/fairness.rules.yaml:8:11 /rules/0/when: CEL type error: no such overload: int > string',
    ]);
  });

  it('type-checks the expressions inside message templates', async () => {
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: "true"\n    message: "ratio {{ evidence.fairness.minRatio }} vs {{ params.minRatio }}"\n') })).toEqual([
      'demo/fairness.rules.yaml:9:42 /rules/0/message: message template: CEL type error: No such key: minRatio',
    ]);
    expect(await problemsOf({ 'fairness.rules.yaml': withRule('    require: "true"\n    message: "ratio {{ params.minRatio"\n') })).toEqual([
      'demo/fairness.rules.yaml:9:21 /rules/0/message: message template: "{{" is not closed by "}}"',
    ]);
  });

  it('refuses duplicate rule ids, also across files, naming both places', async () => {
    expect(await problemsOf({ 'more.rules.yaml': MINIMAL_RULES_YAML })).toEqual([
      'demo/more.rules.yaml:2:9 /rules/0/id: duplicate rule id "fairness-ratio" (first defined at demo/fairness.rules.yaml:2:5)',
    ]);
  });

  it('refuses a pack whose id is not its folder, bad parameter defaults and stray YAML files', async () => {
    expect(await problemsOf({ 'pack.yaml': MINIMAL_PACK_YAML.replace('id: demo', 'id: other') })).toEqual([
      'demo/pack.yaml:1:5 /id: pack id "other" must equal its folder name "demo"',
    ]);
    expect(await problemsOf({ 'pack.yaml': MINIMAL_PACK_YAML.replace('default: 0.8', 'default: high') })).toEqual([
      'demo/pack.yaml:8:14 /parameters/minRatio/default: default must be a finite number',
    ]);
    expect(await problemsOf({ 'pack.yaml': MINIMAL_PACK_YAML.replace('  minRatio:', '  min-ratio:') })).toEqual([
      'demo/pack.yaml:6:3 /parameters/min-ratio: invalid name "min-ratio"',
    ]);
    expect(await problemsOf({ 'rules.yml': 'rules: []\n' })).toEqual([
      'demo/rules.yml not a pack file: rule files are named <name>.rules.yaml (lower-case letters, digits and -)',
    ]);
  });

  it('collects every problem of every file at once', async () => {
    const problems = await problemsOf({
      'pack.yaml': `${MINIMAL_PACK_YAML}colour: blue\n`,
      'fairness.rules.yaml': withRule('    require: evidence.nothing\n    message: m\n'),
      'more.rules.yaml': withRule('    require: "true"\n    message: m\n    extra: 1\n'),
    });
    // pack.yaml is invalid, so the expressions cannot be typed and are not checked: two problems.
    expect(problems).toEqual([
      'demo/more.rules.yaml:10:5 /rules/0/extra: unknown field "extra"',
      'demo/pack.yaml:10:1 /colour: unknown field "colour"',
    ]);
    expect(
      await problemsOf({
        'fairness.rules.yaml': withRule('    require: evidence.nothing\n    message: m\n'),
        'more.rules.yaml': withRule('    require: "true"\n    message: m\n    extra: 1\n'),
      }),
    ).toEqual(['demo/fairness.rules.yaml:8:23 /rules/0/require: CEL type error: No such key: nothing', 'demo/more.rules.yaml:10:5 /rules/0/extra: unknown field "extra"']);
  });

  it('maps errors in block scalars to their line and column', async () => {
    const rules = withRule('    require: |\n      has(evidence.fairness)\n        && evidence.fairness.attributeSets.all(a, a.ratio > 0.5)\n    message: m\n');
    expect(await problemsOf({ 'fairness.rules.yaml': rules })).toEqual([
      'demo/fairness.rules.yaml:10:53 /rules/0/require: CEL type error: No such key: ratio',
    ]);
  });

  it('applies organisation parameters, refusing unknown names and wrong types', async () => {
    const dir = packs.write('params/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML });
    expect((await loadPolicyPack(dir, { parameters: { minRatio: 0.9 } })).parameterValues).toEqual({ minRatio: 0.9 });
    await expect(loadPolicyPack(dir, { parameters: { minRatio: '0.9', maxRatio: 1 } })).rejects.toMatchObject({
      code: 'POLICY_PARAMETERS_INVALID',
      problems: [
        { path: '/parameters/maxRatio', message: 'maxRatio is not a parameter of this pack' },
        { path: '/parameters/minRatio', message: 'minRatio must be a finite number' },
      ],
    });
  });

  it('says when a pack folder does not exist', async () => {
    await expect(loadPolicyPack(`${packs.root}/nowhere`)).rejects.toMatchObject({ code: 'POLICY_PACK_NOT_FOUND' });
  });
});

describe(loadPolicyPacks.name, () => {
  it('loads every pack folder of a root, skipping schema/, and reports all invalid packs together', async () => {
    packs.write('root/demo', { 'pack.yaml': MINIMAL_PACK_YAML, 'fairness.rules.yaml': MINIMAL_RULES_YAML });
    packs.write('root/schema', { 'x.json': '{}' });
    expect((await loadPolicyPacks(`${packs.root}/root`)).map((p) => p.id)).toEqual(['demo']);
    packs.write('root/broken', { 'pack.yaml': MINIMAL_PACK_YAML.replace('id: demo', 'id: broken').replace('title: Demo pack', 'title: 5'), 'a.rules.yaml': 'rules: 3\n' });
    await expect(loadPolicyPacks(`${packs.root}/root`)).rejects.toMatchObject({ code: 'POLICY_PACK_INVALID', problems: [expect.anything(), expect.anything()] });
    expect((await loadPolicyPacks(`${packs.root}/root`, { only: ['demo'] })).map((p) => p.id)).toEqual(['demo']);
  });
});
