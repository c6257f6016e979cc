/**
 * A realistic dossier for the document generators' specs: the evidence records the real pipeline
 * wrote (evidence-document/assembler/pipeline-records.fixture.json), the document assembled from
 * them, the report library's fixture report, the datasheet that was recorded, and a decision made
 * by the repository's own policy packs on that document.
 */
import { join } from 'node:path';
import { assembleEvidenceDocument, evidenceDocumentDigest } from '../../evidence-document';
import { assemblyInput, pipelineFixture } from '../../evidence-document/assembler/pipeline-records.fixture';
import { decisionDigest, evaluatePolicies, loadPolicyPacks } from '../../policy';
import { modelReportFixture } from '../../../pipeline/assessment/report/model-report.fixture';
import { MODEL_DOSSIER_FORMAT, type DossierRecord, type ModelDossier } from './model-dossier';

export const POLICIES_DIR = join(__dirname, '..', '..', '..', '..', 'policies');

export async function modelDossierFixture(): Promise<ModelDossier> {
  const fixture = pipelineFixture();
  const input = assemblyInput(fixture, 0);
  const document = assembleEvidenceDocument(input);
  const version = fixture.versions[0]!;
  const records: DossierRecord[] = fixture.records
    .filter((record) => document.records.some((ref) => ref.digest === record.digest))
    .map((record) => ({ ...record, ledgerIndex: record.ledgerIndex ?? 0, supersedes: record.supersedes ?? null }));
  const datasheets = records
    .filter((record) => record.kind === 'datasheet.recorded')
    .map((record) => {
      const dataset = document.datasets.find((d) => d.versionId === record.subject.id) ?? document.datasets[0]!;
      return {
        datasetVersionId: dataset.versionId,
        documentedVersionId: record.subject.id,
        role: dataset.role,
        recordDigest: record.digest,
        datasheet: record.body,
      };
    });
  const packs = await loadPolicyPacks(POLICIES_DIR);
  const decision = evaluatePolicies(packs, document, { stage: 'production', now: input.assembledAt });
  return {
    format: MODEL_DOSSIER_FORMAT,
    generatedAt: '2026-11-29T10:00:00.000Z',
    generator: { name: 'assay', version: '0.1.0' },
    document,
    registration: {
      description: fixture.model.description,
      ownerId: fixture.model.ownerId,
      createdAt: fixture.model.createdAt,
      oversightMeasures: ['A credit officer reviews every application the model ranks low.'],
      stopProcedure: 'Demote the production alias (POST /models/:id/aliases/production/demote); serving stops at once.',
    },
    report: await modelReportFixture(),
    records,
    datasheets,
    promotions: [
      {
        id: '7f6b3f7e-1d1c-4c55-9a55-2a4b7c9d0e11',
        targetStage: 'production',
        state: decision.outcome === 'blocked' ? 'blocked' : 'approved',
        requestedBy: fixture.model.ownerId,
        requestedAt: input.assembledAt,
        decidedBy: decision.outcome === 'blocked' ? null : '5d0c1a8e-8f0e-4a57-b1e1-0f3e2b6c7d90',
        decidedAt: decision.outcome === 'blocked' ? null : '2026-11-29T09:30:00.000Z',
        rationale: decision.outcome === 'blocked' ? null : 'Evidence reviewed; disparity within the declared tolerance.',
        evidenceDocumentDigest: evidenceDocumentDigest(document),
        decisionDigest: decisionDigest(decision),
        decision,
      },
    ],
    aliasMoves:
      decision.outcome === 'blocked'
        ? []
        : [{ alias: 'production', action: 'promoted', fromVersion: null, toVersion: version.version, actor: '5d0c1a8e-8f0e-4a57-b1e1-0f3e2b6c7d90', reason: null, at: '2026-11-29T09:30:00.000Z' }],
    checkpoint: { origin: 'assay.local/ledger', treeSize: 120, rootHash: 'a'.repeat(64) },
  };
}
