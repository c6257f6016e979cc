import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import published from './assay.evidence.v1.schema.json';
import { EVIDENCE_DOCUMENT_FORMAT, type EvidenceDocument } from './evidence-document';
import { evidenceDocumentDigest } from './evidence-document.digest';
import { exampleEvidenceDocument } from './evidence-document.fixture';
import { validateEvidenceDocument } from './evidence-document.validator';

const REQUIRED_SECTIONS = ['artifacts', 'privacy', 'training', 'energy', 'evaluation', 'fairness', 'robustness', 'explanations', 'humanOversight'] as const;
const OPTIONAL_SECTIONS = ['differentialPrivacy', 'membershipInference', 'monitoring'] as const;

describe(validateEvidenceDocument.name, () => {
  it('accepts the example document', () => {
    expect(validateEvidenceDocument(exampleEvidenceDocument())).toEqual({ ok: true, document: exampleEvidenceDocument() });
    expect(exampleEvidenceDocument().format).toBe(EVIDENCE_DOCUMENT_FORMAT);
  });

  it('represents absent evidence: required sections may be null, optional ones left out', () => {
    const document: EvidenceDocument = exampleEvidenceDocument();
    for (const section of REQUIRED_SECTIONS) document[section] = null;
    for (const section of OPTIONAL_SECTIONS) delete document[section];
    document.datasets = [];
    document.records = [];
    expect(validateEvidenceDocument(document).ok).toBe(true);
  });

  it('refuses a required section that is left out rather than null', () => {
    const document: Partial<EvidenceDocument> = exampleEvidenceDocument();
    delete document.fairness;
    expect(validateEvidenceDocument(document)).toEqual({ ok: false, problems: [{ path: '/fairness', message: 'missing (use null for absent evidence)' }] });
  });

  it('names every problem by JSON Pointer', () => {
    const document = exampleEvidenceDocument() as unknown as { model: Record<string, unknown>; fairness: { attributeSets: Array<Record<string, unknown>> } };
    document.model.riskTier = 'High';
    document.model.colour = 'blue';
    document.fairness.attributeSets[0]!.demographicParityRatio = 1.4;
    const result = validateEvidenceDocument(document);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { path: '/model/colour', message: 'unknown field' },
      { path: '/model/riskTier', message: 'must match pattern "^[a-z][a-z0-9_-]*$"' },
      { path: '/fairness/attributeSets/0/demographicParityRatio', message: 'must be <= 1' },
    ]);
  });

  it('refuses integers where counts are expected and unknown entity types', () => {
    const document = exampleEvidenceDocument();
    document.evaluation!.rows = 200.5;
    document.privacy!.findings[0]!.entityType = 'SHOE_SIZE';
    const result = validateEvidenceDocument(document);
    expect(!result.ok && result.problems.map((p) => p.path)).toEqual(['/privacy/findings/0/entityType', '/evaluation/rows']);
  });
});

describe(evidenceDocumentDigest.name, () => {
  it('is SHA-256 over the JCS form: independent of key order, sensitive to any value', () => {
    const document = exampleEvidenceDocument();
    const reordered = Object.fromEntries(Object.entries(document).reverse());
    expect(evidenceDocumentDigest(reordered)).toBe(evidenceDocumentDigest(document));
    expect(evidenceDocumentDigest(document)).toMatch(/^sha256:[0-9a-f]{64}$/);
    document.fairness!.attributeSets[0]!.demographicParityRatio = 0.9310001;
    expect(evidenceDocumentDigest(document)).not.toBe(evidenceDocumentDigest(exampleEvidenceDocument()));
  });
});

describe('published schema', () => {
  it('compiles as a standalone draft 2020-12 schema and accepts the example', () => {
    const validate = addFormats(new Ajv2020({ strict: true })).compile(published);
    expect(validate(exampleEvidenceDocument())).toBe(true);
  });
});
