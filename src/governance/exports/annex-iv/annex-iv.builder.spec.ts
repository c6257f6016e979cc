import { modelDossierFixture } from '../dossier/dossier.fixture';
import type { ModelDossier } from '../dossier/model-dossier';
import { annexIvDocument, type AnnexIvCell, type AnnexIvDocument, type AnnexIvItem, type AnnexIvNumber } from '.';
import { completed, withoutEvidence } from './annex-iv.fixture';

function item(document: AnnexIvDocument, id: string): AnnexIvItem {
  const found = document.points.flatMap((point) => point.items).find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no item ${id}`);
  return found;
}

function tableRow(document: AnnexIvDocument, id: string, first: string): AnnexIvCell[] {
  const content = item(document, id).content;
  if (content.status !== 'filled') throw new Error(`${id} is a gap`);
  for (const block of content.blocks) {
    if (block.type !== 'table') continue;
    const row = block.rows.find((cells) => cells[0] === first);
    if (row) return row;
  }
  throw new Error(`no row ${first} in ${id}`);
}

const numberOf = (cell: AnnexIvCell | undefined): number => (cell as AnnexIvNumber).value;

describe('annexIvDocument', () => {
  let dossier: ModelDossier;
  let document: AnnexIvDocument;

  beforeAll(async () => {
    dossier = await modelDossierFixture();
    document = annexIvDocument(dossier);
  });

  it('follows the nine points of Annex IV, each item carrying its reference', () => {
    expect(document.format).toBe('assay.annex-iv/v1');
    expect(document.points.map((point) => point.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const point of document.points) {
      expect(point.reference).toBe(`Annex IV(${point.number})`);
      expect(point.items.length).toBeGreaterThan(0);
      for (const entry of point.items) expect(entry.reference.startsWith(`Annex IV(${point.number})`)).toBe(true);
    }
    const ids = document.points.flatMap((point) => point.items.map((entry) => entry.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('identifies the model and the evidence, dated by the dossier, not the clock', () => {
    expect(document.model).toMatchObject({ name: 'credit-scoring', version: 1, riskTier: 'high' });
    expect(document.generatedAt).toBe(dossier.generatedAt);
    expect(document.evidenceDocumentDigest).toBe(dossier.promotions[0]!.evidenceDocumentDigest);
  });

  it('fills every item of points 1, 2 and 5 from the full fixture', () => {
    for (const point of document.points.filter((p) => [1, 2, 5].includes(p.number))) {
      for (const entry of point.items) expect({ id: entry.id, status: entry.content.status }).toEqual({ id: entry.id, status: 'filled' });
    }
  });

  it('states as part gaps exactly what the fixture does not declare, and nothing it does', () => {
    const parts = (doc: AnnexIvDocument) => doc.gaps.filter((gap) => gap.part !== null).map((gap) => `${gap.itemId}: ${gap.part}`);
    expect(parts(document)).toEqual(
      expect.arrayContaining([
        'iv-1-a-purpose: Name of the provider',
        'iv-1-h-instructions: Declared accuracy levels (Art. 13(3)(b)(ii))',
        'iv-1-h-instructions: Known and foreseeable limitations (Art. 13(3)(b)(iii))',
        'iv-2-d-preparation: Labelling procedure',
      ]),
    );
    // Oversight measures and the stop procedure are declared on the registered model: no gap.
    expect(parts(document).filter((part) => part.startsWith('iv-2-e-oversight'))).toEqual([]);
    const full = parts(annexIvDocument(completed(dossier)));
    expect(full).not.toContain('iv-1-a-purpose: Name of the provider');
    expect(full.filter((part) => part.startsWith('iv-1-h-instructions:'))).toEqual([
      'iv-1-h-instructions: User interface provided to the deployer (Annex IV(1)(g))',
    ]);
  });

  it('lists every gap in the summary, item gaps and part gaps, in document order', () => {
    const counted = document.points
      .flatMap((point) => point.items)
      .reduce((sum, entry) => sum + (entry.content.status === 'gap' ? 1 : entry.content.blocks.filter((block) => block.type === 'gap').length), 0);
    expect(document.gaps).toHaveLength(counted);
    expect(document.gaps.map((gap) => gap.point)).toEqual([...document.gaps.map((gap) => gap.point)].sort((a, b) => a - b));
  });

  it('shows removed evaluation, energy, monitoring and datasheets as gaps', () => {
    const gapped = annexIvDocument(withoutEvidence(dossier));
    const ids = [
      'iv-2-g-procedures',
      'iv-2-g-metrics',
      'iv-3-accuracy',
      'iv-4-metrics',
      'iv-2-c-resources',
      'iv-1-e-hardware',
      'iv-9-monitoring',
      'iv-2-d-datasheet-training-2',
      'iv-2-d-datasheet-validation-3',
      'iv-2-d-datasheet-test-4',
    ];
    for (const id of ids) {
      expect(item(gapped, id).content.status).toBe('gap');
      expect(gapped.gaps).toContainEqual(expect.objectContaining({ itemId: id, part: null }));
    }
    expect(item(gapped, 'iv-9-monitoring').content).toEqual({ status: 'gap', reason: expect.stringContaining('no monitoring section') });
  });

  it('always leaves the harmonised standards and the declaration of conformity to the provider', () => {
    const full = annexIvDocument(completed(dossier));
    expect(item(full, 'iv-7-harmonised').content.status).toBe('gap');
    expect(item(full, 'iv-8-declaration').content).toEqual({ status: 'gap', reason: expect.stringContaining('does not issue') });
    expect(item(full, 'iv-9-monitoring').content.status).toBe('filled');
  });

  it('takes the values from the evidence unchanged', () => {
    const evaluation = dossier.document.evaluation!;
    const accuracy = evaluation.metrics.find((metric) => metric.name === 'accuracy')!;
    const row = tableRow(document, 'iv-2-g-metrics', 'Accuracy (accuracy)');
    expect(numberOf(row[1])).toBe(accuracy.value);
    expect(numberOf(row[2])).toBe(accuracy.ci!.lower);
    expect(numberOf(row[3])).toBe(accuracy.ci!.upper);
    expect(row[1]).toEqual({ value: accuracy.value, text: '0.933' });

    const set = dossier.document.fairness!.attributeSets[0]!;
    const fairness = tableRow(document, 'iv-2-g-groups', 'sex');
    expect(numberOf(fairness[1])).toBe(set.demographicParityRatio);
    const female = tableRow(document, 'iv-2-g-groups', 'F');
    expect(numberOf(female[2])).toBe(set.groups[0]!.selectionRate);
    expect(cellText(female[2])).toBe('0.508 [0.385, 0.631]');
  });

  it('cites only records, decisions and the evidence document of the dossier', () => {
    const known = new Set([
      ...dossier.records.map((record) => record.digest),
      ...dossier.promotions.map((p) => p.decisionDigest),
      document.evidenceDocumentDigest,
    ]);
    for (const point of document.points) {
      for (const entry of point.items) for (const source of entry.sources) expect(known).toContain(source.digest);
    }
    expect(item(document, 'iv-2-g-metrics').sources).toEqual([{ kind: 'evaluation.completed', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }]);
  });

  it('has no policy decision to report for a version never put forward', () => {
    const unpromoted = annexIvDocument({ ...dossier, promotions: [] });
    const point = unpromoted.points.find((p) => p.number === 5)!;
    expect(point.items.map((entry) => entry.content.status)).toEqual(['gap']);
  });

  it('is deterministic and leaves the dossier as it was', () => {
    const before = structuredClone(dossier);
    expect(JSON.stringify(annexIvDocument(dossier))).toBe(JSON.stringify(document));
    expect(dossier).toEqual(before);
  });
});

function cellText(cell: AnnexIvCell | undefined): string {
  return typeof cell === 'string' ? cell : (cell?.text ?? '');
}
