/**
 * Annex IV point 2: detailed description of the elements of the AI system and of the process
 * for its development, letters (a) to (h) in order.
 */
import type { AnnexIvPoint } from '../annex-iv-document';
import type { DossierEvidence } from '../dossier-evidence';
import { dataItems } from './development-data.items';
import { architectureItem, changesItem, designItem, methodsItem, oversightItem, resourcesItem, securityItem } from './development-design.items';
import { testingItems } from './development-testing.items';

export function developmentPoint(evidence: DossierEvidence): AnnexIvPoint {
  return {
    number: 2,
    reference: 'Annex IV(2)',
    title: 'Detailed description of the elements of the AI system and of the process for its development',
    items: [
      methodsItem(evidence),
      designItem(evidence),
      architectureItem(evidence),
      resourcesItem(evidence),
      ...dataItems(evidence),
      oversightItem(evidence),
      changesItem(evidence),
      ...testingItems(evidence),
      securityItem(evidence),
    ],
  };
}
