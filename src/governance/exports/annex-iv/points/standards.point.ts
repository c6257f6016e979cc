/**
 * Annex IV point 7: standards. Assay claims conformity with no harmonised standard, so that list
 * is a gap for the provider; what is listed are the public formats and specifications Assay's
 * evidence and exports follow, and the instruments the applied policy packs cite.
 */
import type { AnnexIvCell, AnnexIvPoint } from '../annex-iv-document';
import { bullets, filledItem, gapItem, paragraph, table } from '../annex-iv-items';
import { asString, at, citeDecision, type DossierEvidence } from '../dossier-evidence';

interface Specification {
  name: string;
  use: string;
  /** Whether this dossier's own evidence uses it (exports are produced beside this document). */
  inDossier: (evidence: DossierEvidence) => boolean;
}

const SPECIFICATIONS: readonly Specification[] = [
  {
    name: 'RFC 9162, Certificate Transparency 2.0 (Merkle tree hashing and proofs)',
    use: 'Append-only evidence ledger: leaf and node hashing, inclusion and consistency proofs',
    inDossier: (e) => e.document.records.some((record) => record.ledgerIndex !== null),
  },
  {
    name: 'RFC 8785, JSON Canonicalization Scheme (JCS)',
    use: 'SHA-256 digests of evidence records, the evidence document and policy decisions',
    inDossier: (e) => e.dossier.records.length > 0,
  },
  { name: 'C2SP tlog-checkpoint and signed-note', use: 'Signed checkpoints of the evidence ledger', inDossier: (e) => e.dossier.checkpoint !== null },
  {
    name: 'in-toto Attestation Framework (Statement v1) and DSSE',
    use: 'Envelope of the model signature and of the bundle manifest',
    inDossier: (e) => /dsse|in-toto/i.test(asString(at(e.latestRunRecord('training.completed')?.body, 'signature.format')) ?? ''),
  },
  {
    name: 'OpenSSF Model Signing (OMS) v1.0',
    use: 'Manifest of the model files’ digests and its signature',
    inDossier: (e) => e.document.artifacts?.signature?.format === 'oms-v1.0',
  },
  { name: 'CycloneDX 1.6 (ML-BOM)', use: 'Machine-learning bill of materials exported with the evidence bundle', inDossier: () => false },
  { name: 'W3C PROV (PROV-DM, PROV-JSON)', use: 'Lineage of data sets, runs and model versions exported with the bundle', inDossier: () => false },
  { name: 'OpenLineage', use: 'Run events of transformations and training exported with the bundle', inDossier: () => false },
  { name: 'Google Model Card Toolkit schema', use: 'Model card exported with the bundle', inDossier: () => false },
  {
    name: 'ISO 3166-1 alpha-2',
    use: 'Country codes of the jurisdictions of use and of data collection',
    inDossier: (e) => e.document.model.jurisdictions.length > 0,
  },
  {
    name: 'SPDX License List and license expressions',
    use: 'Licences of the data sets in their datasheets',
    inDossier: (e) => e.document.datasets.some((dataset) => (dataset.datasheet?.licence ?? null) !== null),
  },
  {
    name: 'Datasheets for Datasets (Gebru et al., CACM 64(12), 2021)',
    use: 'Structure of the datasheets',
    inDossier: (e) => e.dossier.datasheets.length > 0 || e.document.datasets.some((dataset) => dataset.datasheet !== null),
  },
];

export function standardsPoint(evidence: DossierEvidence): AnnexIvPoint {
  const promotion = evidence.latestPromotion();
  // A rule's citations read together (`Interim Measures …`, `Art. 7(3)`, `PIPL Art. 13`): one line per distinct set.
  const cited = [
    ...new Set(
      (promotion?.decision.rules ?? []).filter((rule) => rule.outcome !== 'not_applicable' && rule.cites.length > 0).map((rule) => rule.cites.join(', ')),
    ),
  ];
  const rows = SPECIFICATIONS.map((spec): AnnexIvCell[] => [
    spec.name,
    spec.use,
    spec.inDossier(evidence) ? 'used in this evidence' : 'export format of the bundle',
  ]);
  return {
    number: 7,
    reference: 'Annex IV(7)',
    title: 'Harmonised standards and other standards and specifications applied',
    items: [
      gapItem(
        'iv-7-harmonised',
        'Annex IV(7)',
        'Harmonised standards applied',
        'Assay claims conformity with no harmonised standard published in the Official Journal of the European Union; the provider lists any it applies, in full or in part.',
      ),
      filledItem(
        'iv-7-other',
        'Annex IV(7)',
        'Other standards and technical specifications the evidence follows',
        [
          paragraph(
            'These are the public formats Assay writes its evidence and exports in. Following them is not a claim of conformity with the requirements of Chapter III, Section 2.',
          ),
          table('Formats and specifications', ['Specification', 'Used for', 'Scope'], rows),
          bullets('Instruments cited by the rules the latest policy decision applied', cited),
        ],
        promotion ? [citeDecision(promotion)] : [],
      ),
    ],
  };
}
