import { createPublicKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ArtifactStore } from '../../platform/artifacts/artifact-store';
import { ASSAY_CONFIG } from '../../platform/config/config.module';
import type { AssayConfig } from '../../platform/config/config.schema';
import { EvidenceService, type EvidenceRecord } from '../../platform/evidence/evidence.service';
import { verifyModelSignature } from '../../pipeline/training/model-signing';
import { loadModelSigningKey } from '../../pipeline/training/runs/model-signing-key';
import type { RunInputs } from '../../pipeline/training/runs/training-run.record';
import { assembleEvidenceDocument, type EvidenceDocument, type SignatureVerification } from '../evidence-document';
import type { ModelVersionRow, RegisteredModelRow } from '../registry/registry.record';

/**
 * Gathers the evidence records that reach a model version — the model's, the version's, its
 * training run's, and those of every dataset version the run read (and the version it was split
 * from) — verifies the version's signature against the artifacts, and assembles the
 * `assay.evidence/v1` document the policy rules read.
 */
@Injectable()
export class EvidenceDocumentBuilder {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly artifacts: ArtifactStore,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
  ) {}

  async build(input: {
    model: RegisteredModelRow;
    version: ModelVersionRow;
    stage: 'staging' | 'production';
    requestedBy: { id: string; role: string };
    at: Date;
  }): Promise<EvidenceDocument> {
    const { model, version } = input;
    const records = await this.records(model, version);
    return assembleEvidenceDocument({
      records: records.map((record) => ({
        id: record.id,
        kind: record.kind,
        subject: record.subject,
        body: record.body,
        digest: record.digest,
        ledgerIndex: record.ledgerIndex,
        createdAt: record.createdAt,
        actor: record.actor,
        supersedes: record.supersedes,
      })),
      model: {
        id: model.id,
        name: model.name,
        riskTier: model.risk_tier,
        intendedUse: model.intended_use,
        prohibitedUses: model.prohibited_uses,
        jurisdictions: model.jurisdictions,
        knownLimitations: model.declarations.knownLimitations ?? null,
        declaredPerformance: model.declarations.declaredPerformance ?? [],
        provider: model.declarations.provider ?? null,
        oversightMeasures: model.declarations.oversightMeasures ?? [],
        stopProcedure: model.declarations.stopProcedure ?? null,
        version: {
          id: version.id,
          version: version.version,
          runId: version.run_id,
          modelDigest: version.model_digest,
          trainingEvidence: version.training_evidence,
        },
      },
      stage: input.stage,
      requestedBy: input.requestedBy,
      assembledAt: input.at.toISOString(),
      signatureVerification: await this.verifySignature(version),
    });
  }

  /** The records that may reach the version (model, version, run, its datasets), in ledger order. */
  async records(model: RegisteredModelRow, version: ModelVersionRow): Promise<EvidenceRecord[]> {
    const subjects: { type: string; id: string }[] = [
      { type: 'model', id: model.id },
      { type: 'model_version', id: version.id },
      { type: 'training_run', id: version.run_id },
    ];
    const requested = (await this.evidence.forSubject({ type: 'training_run', id: version.run_id }, 'training.requested'))[0];
    const inputs = requested?.body.inputs as RunInputs | undefined;
    if (inputs) {
      subjects.push({ type: 'dataset', id: inputs.datasetId }, { type: 'dataset_version', id: inputs.sourceVersionId });
      for (const split of inputs.splits) subjects.push({ type: 'dataset_version', id: split.versionId });
    }
    const seen = new Set<string>();
    const records: EvidenceRecord[] = [];
    for (const subject of subjects) {
      for (const record of await this.evidence.forSubject(subject)) {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        records.push(record);
      }
    }
    return records.sort((a, b) => a.ledgerIndex - b.ledgerIndex);
  }

  /** Checks the version's OMS signature over its artifact bytes with the model-signing key. */
  private async verifySignature(version: ModelVersionRow): Promise<SignatureVerification> {
    const key = loadModelSigningKey(this.config);
    try {
      const bundle = JSON.parse((await this.artifacts.read(version.signature_digest)).toString('utf8')) as unknown;
      const files = await Promise.all(version.artifacts.map(async (a) => ({ path: a.path, bytes: new Uint8Array(await this.artifacts.read(a.digest)) })));
      const outcome = verifyModelSignature(bundle, createPublicKey(key.privateKey), files);
      return { verified: outcome.ok, keyHint: key.hint, method: 'key', signatureDigest: version.signature_digest };
    } catch {
      return { verified: false, keyHint: key.hint, method: 'key', signatureDigest: version.signature_digest };
    }
  }
}
