/** The README.txt inside a bundle: what it is, what each folder holds, how to verify it offline. */
import type { BundlePredicate } from './bundle';

export function bundleReadme(predicate: BundlePredicate, files: readonly string[], missingPacks: readonly string[]): string {
  const { model, checkpoint, ledgerKey } = predicate;
  const lines = [
    `Assay evidence bundle (${predicate.format})`,
    '',
    `Model:       ${model.name} version ${model.version} (${model.versionId})`,
    `Model digest: ${model.modelDigest}`,
    `Created:     ${predicate.createdAt} by ${predicate.generator.name} ${predicate.generator.version}`,
    `Ledger:      ${checkpoint.origin}, checkpoint of tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash}`,
    `Signed by:   ${ledgerKey.name}+${ledgerKey.keyId} (Ed25519; the key that signs the ledger's checkpoints)`,
    '',
    'Verify offline, with the ledger key you obtained independently (GET /ledger/public-key, "verifierKey"):',
    '',
    '  assay verify THIS.zip --trusted-key ledger.vkey [--checkpoint an-earlier-checkpoint.txt]',
    '',
    'It checks every file against manifest.dsse.json (an in-toto Statement v1 in a DSSE envelope), the',
    'signatures, every ledger entry against the checkpoint (RFC 9162 inclusion proofs), consistency with a',
    'checkpoint you kept, every evidence record against its ledger entry, the model signature (OpenSSF model',
    'signing v1.0), that each evidence document follows from its records, and replays every policy decision',
    'from the exact pack files in policy/packs/.',
    '',
    'Contents:',
    '  evidence/    evidence records (JSON Lines) and the assay.evidence/v1 document',
    '  policy/      the documents each decision read, and the pack files it used',
    '  ledger/      the records\' ledger entries, inclusion and consistency proofs, the signed checkpoint',
    '  keys/        the ledger verifier key and the model-signing public key',
    '  model/       the model\'s signature bundle and the files it covers',
    '  documents/   model card (Model Card Toolkit v0.0.2, HTML), CycloneDX 1.6 ML-BOM, PROV-JSON,',
    '               OpenLineage events, EU AI Act Annex IV technical documentation (HTML, PDF), datasheets',
    '',
    ...(missingPacks.length
      ? ['GAPS: the files of these policy pack versions were not available to this server, so their', 'decisions cannot be replayed from this bundle:', ...missingPacks.map((p) => `  ${p}`), '']
      : []),
    `${files.length + 2} files in all (with this README and the manifest).`,
    '',
  ];
  return lines.join('\n');
}
