import { createPublicKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { asSubject } from '../../platform/access/ability.factory';
import type { AuthContext } from '../../platform/access/auth-context';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { AssayException } from '../../platform/errors/assay.exception';
import { EvidenceService } from '../../platform/evidence/evidence.service';
import { userActor } from '../../platform/ledger/actor';
import { CheckpointService } from '../../platform/ledger/checkpoint.service';
import { annotateActiveSpan, ATTR, withSpan } from '../../platform/observability/tracing/spans';
import { LedgerService } from '../../platform/ledger/ledger.service';
import { canonicalEntry, hashLeaf, parseCheckpoint } from '../../platform/ledger/verification';
import { loadModelSigningKey } from '../../pipeline/training/runs/model-signing-key';
import type { PolicyDecision } from '../policy';
import { PolicyPacksService } from '../policy-packs/policy-packs.service';
import { RegistryService } from '../registry/registry.service';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  decisionDocumentPath,
  packFilePath,
  sealEvidenceBundle,
  type BundlePredicate,
  type ConsistencyProofFile,
  type InclusionProofFile,
} from './bundle';
import { bundleReadme } from './bundle-readme';
import { renderDossierDocuments } from './dossier-documents';
import { ModelDossierCollector } from './model-dossier.collector';

export interface ExportedBundle {
  zip: Uint8Array;
  fileName: string;
  manifestDigest: string;
}

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
const jsonLines = (values: readonly unknown[]): Buffer => Buffer.from(values.map((v) => `${JSON.stringify(v)}\n`).join(''), 'utf8');

/**
 * `GET /models/:id/versions/:version/bundle`: the evidence bundle a regulator takes away. The
 * dossier is collected from evidence, the documents are generated from it, the ledger material
 * (entries, inclusion proofs against a checkpoint signed now, consistency proofs from the sizes
 * asked for) is added, and the manifest is signed with the ledger key. The export itself is
 * recorded (`bundle.exported`, with the manifest's digest).
 */
@Injectable()
export class EvidenceBundleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: RegistryService,
    private readonly collector: ModelDossierCollector,
    private readonly ledger: LedgerService,
    private readonly checkpoints: CheckpointService,
    private readonly packs: PolicyPacksService,
    private readonly artifacts: ArtifactStore,
    private readonly evidence: EvidenceService,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  /** Traced as `assay.export`. */
  export(auth: AuthContext, modelId: string, versionNumber: number, consistencyFrom: readonly number[]): Promise<ExportedBundle> {
    return withSpan('assay.export', { [ATTR.modelId]: modelId, [ATTR.modelVersion]: versionNumber }, async (span) => {
      const bundle = await this.exportOnce(auth, modelId, versionNumber, consistencyFrom);
      span.setAttributes({ 'assay.bundle.manifest_digest': bundle.manifestDigest, 'assay.bundle.bytes': bundle.zip.byteLength });
      return bundle;
    });
  }

  private async exportOnce(auth: AuthContext, modelId: string, versionNumber: number, consistencyFrom: readonly number[]): Promise<ExportedBundle> {
    const { model, version } = await this.registry.version(auth, modelId, versionNumber);
    annotateActiveSpan({ [ATTR.modelVersionId]: version.id });
    if (!auth.ability.can('export', asSubject('Model', { ownerId: model.owner_id })))
      throw new AssayException('ACCESS_DENIED', 'You may not export this model');
    const at = new Date();
    const { dossier, decisionDocuments } = await this.collector.collect(auth, model, version, at, null);

    // Signed after the records were read, so it covers every one of them.
    const note = await this.checkpoints.latest();
    const checkpoint = parseCheckpoint(note);
    const rootHash = checkpoint.rootHash.toString('hex');
    dossier.checkpoint = { origin: checkpoint.origin, treeSize: checkpoint.size, rootHash };
    for (const from of consistencyFrom)
      if (from > checkpoint.size)
        throw new AssayException('LEDGER_PROOF_OUT_OF_RANGE', `consistencyFrom ${from} is beyond the ledger's size ${checkpoint.size}`, { size: checkpoint.size });

    const files = new Map<string, Uint8Array>();
    const key = this.checkpoints.publicKey();
    const signingKey = loadModelSigningKey(this.config);
    files.set(BUNDLE_FILES.records, jsonLines(dossier.records));
    files.set(BUNDLE_FILES.evidenceDocument, json(dossier.document));
    for (const [digest, document] of decisionDocuments) files.set(decisionDocumentPath(digest), json(document));
    const missingPacks = await this.addPackFiles(files, dossier.records.map((r) => r.body));
    await this.addLedgerMaterial(files, dossier.records.map((r) => r.ledgerIndex), checkpoint.size, rootHash, consistencyFrom);
    files.set(BUNDLE_FILES.checkpoint, Buffer.from(note, 'utf8'));
    files.set(BUNDLE_FILES.ledgerKey, Buffer.from(`${key.verifierKey}\n`, 'utf8'));
    files.set(BUNDLE_FILES.modelSigningKey, Buffer.from(createPublicKey(signingKey.privateKey).export({ type: 'spki', format: 'pem' }).toString(), 'utf8'));
    files.set(BUNDLE_FILES.modelSignature, await this.artifacts.read(version.signature_digest));
    files.set(BUNDLE_FILES.modelFiles, json(version.artifacts));
    for (const [name, bytes] of await renderDossierDocuments(dossier)) files.set(name, bytes);

    const predicate: BundlePredicate = {
      format: BUNDLE_FORMAT,
      createdAt: at.toISOString(),
      generator: dossier.generator,
      model: { id: model.id, name: model.name, versionId: version.id, version: version.version, modelDigest: version.model_digest },
      checkpoint: dossier.checkpoint,
      ledgerKey: { name: key.keyName, keyId: key.keyId },
    };
    files.set(BUNDLE_FILES.readme, Buffer.from(bundleReadme(predicate, [...files.keys()], missingPacks), 'utf8'));
    const sealed = sealEvidenceBundle(files, predicate, { keyId: `${key.keyName}+${key.keyId}`, sign: (message) => this.checkpoints.sign(message) });

    await this.db.transaction((tx) =>
      this.evidence.record(tx, {
        kind: 'bundle.exported',
        subject: { type: 'model_version', id: version.id },
        actor: userActor(auth.user.id),
        subjectOwnerId: model.owner_id,
        body: {
          modelId: model.id,
          modelVersionId: version.id,
          version: version.version,
          manifestDigest: sealed.manifestDigest,
          files: sealed.files,
          checkpointSize: checkpoint.size,
          checkpointRoot: rootHash,
          consistencyFrom: [...consistencyFrom],
        },
      }),
    );
    const safeName = model.name.replace(/[^A-Za-z0-9._-]+/g, '-');
    return { zip: sealed.zip, fileName: `${safeName}-v${version.version}.assay-bundle.zip`, manifestDigest: sealed.manifestDigest };
  }

  /** The exact files of every pack version a decision of this version used (request and approval). Returns the packs it could not find. */
  private async addPackFiles(files: Map<string, Uint8Array>, bodies: ReadonlyArray<Record<string, unknown>>): Promise<string[]> {
    const decisions: PolicyDecision[] = [];
    for (const body of bodies) {
      if (body.decision && typeof body.decision === 'object' && 'packs' in body.decision) decisions.push(body.decision as PolicyDecision);
      const reevaluation = body.reevaluation as { decision?: PolicyDecision } | undefined;
      if (reevaluation?.decision) decisions.push(reevaluation.decision);
    }
    const digests = new Map(decisions.flatMap((d) => d.packs.map((p) => [p.digest, `${p.id}@${p.version}`] as const)));
    const missing: string[] = [];
    for (const [digest, label] of digests) {
      const snapshot = await this.packs.snapshotFiles(digest);
      if (!snapshot) {
        missing.push(`${label} (${digest})`);
        continue;
      }
      for (const file of snapshot.files) files.set(packFilePath(digest, snapshot.packId, file.path), file.bytes);
    }
    return missing;
  }

  private async addLedgerMaterial(files: Map<string, Uint8Array>, indices: number[], treeSize: number, rootHash: string, consistencyFrom: readonly number[]): Promise<void> {
    const unique = [...new Set(indices)].sort((a, b) => a - b);
    const lines: string[] = [];
    for (const index of unique) {
      const view = await this.ledger.entry(index);
      if (!view) throw new Error(`ledger entry ${index} of an evidence record is missing`);
      lines.push(canonicalEntry(view.entry).toString('utf8'));
    }
    const paths = await this.ledger.inclusionProofs(unique, treeSize);
    const proofs: InclusionProofFile = {
      treeSize,
      rootHash,
      proofs: unique.map((index, i) => ({ index, leafHash: hashLeaf(Buffer.from(lines[i]!, 'utf8')).toString('hex'), path: paths[i]!.map((h) => h.toString('hex')) })),
    };
    const consistency: ConsistencyProofFile = { treeSize, proofs: [] };
    for (const from of [...new Set(consistencyFrom)].sort((a, b) => a - b)) {
      const proof = await this.ledger.consistencyProof(from, treeSize);
      consistency.proofs.push({ from, fromRootHash: proof.fromRootHash, path: proof.proof });
    }
    files.set(BUNDLE_FILES.entries, Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8'));
    files.set(BUNDLE_FILES.inclusionProofs, json(proofs));
    files.set(BUNDLE_FILES.consistencyProofs, json(consistency));
  }
}
