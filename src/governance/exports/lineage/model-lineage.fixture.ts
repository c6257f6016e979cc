/**
 * Dossiers for the lineage specs: the shared fixture (a promotion blocked by policy) and the same
 * version once a compliance officer has approved a later request and the production alias moved to
 * it, so the approval and the alias move show in the lineage.
 */
import { modelDossierFixture } from '../dossier/dossier.fixture';
import type { ModelDossier } from '../dossier/model-dossier';

export const APPROVER = '5d0c1a8e-8f0e-4a57-b1e1-0f3e2b6c7d90';

export async function approvedDossierFixture(): Promise<ModelDossier> {
  const dossier = await modelDossierFixture();
  const [blocked] = dossier.promotions;
  dossier.promotions.push({
    ...blocked!,
    id: '2a9e4c1b-6f3d-4e8a-9b7c-5d1e0f2a3b4c',
    state: 'approved',
    decision: { ...blocked!.decision, outcome: 'pending_approval', blockedBy: [] },
    decidedBy: APPROVER,
    decidedAt: '2026-11-29T09:30:00.000Z',
    rationale: 'Evidence reviewed; disparity within the declared tolerance.',
  });
  dossier.aliasMoves = [
    {
      alias: 'production',
      action: 'promoted',
      fromVersion: null,
      toVersion: dossier.document.model.version,
      actor: APPROVER,
      reason: null,
      at: '2026-11-29T09:30:00.000Z',
    },
  ];
  return dossier;
}
