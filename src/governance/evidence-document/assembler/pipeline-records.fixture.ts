/**
 * Evidence records written by the real pipeline (pipeline-records.fixture.json): a dataset
 * registered, documented and split with the test helpers, its training split given a datasheet of
 * its own, two logistic runs on it that became versions 1 and 2 of one model, and one explanation
 * requested for version 1. Bodies are trimmed of long arrays the document does not read.
 */
import recorded from './pipeline-records.fixture.json';
import type { EvidenceDocumentAssemblyInput, EvidenceRecordInput, ModelFacts, SignatureVerification } from './assembly-input';

type FixtureVersion = (typeof recorded.versions)[number];

export interface PipelineFixture {
  records: EvidenceRecordInput[];
  /** The two runs: `a` is version 1's, `b` version 2's. */
  runs: { a: string; b: string };
  versions: FixtureVersion[];
  model: typeof recorded.model;
  verification(versionId: string): SignatureVerification;
}

/** A fresh copy, safe to modify. */
export function pipelineFixture(): PipelineFixture {
  const copy = JSON.parse(JSON.stringify(recorded)) as typeof recorded;
  return {
    records: copy.records,
    runs: { a: copy.versions[0]!.runId, b: copy.versions[1]!.runId },
    versions: copy.versions,
    model: copy.model,
    verification: (versionId) => (copy.signatureVerifications as Record<string, SignatureVerification>)[versionId]!,
  };
}

export function modelFacts(fixture: PipelineFixture, versionIndex = 0): ModelFacts {
  const version = fixture.versions[versionIndex]!;
  const { id, name, riskTier, intendedUse, prohibitedUses, jurisdictions } = fixture.model;
  return {
    id,
    name,
    riskTier,
    intendedUse,
    prohibitedUses,
    jurisdictions,
    version: { id: version.id, version: version.version, runId: version.runId, modelDigest: version.modelDigest, trainingEvidence: version.trainingEvidence },
  };
}

/** The input a promotion of the version to production would give the assembler. */
export function assemblyInput(fixture: PipelineFixture = pipelineFixture(), versionIndex = 0): EvidenceDocumentAssemblyInput {
  const version = fixture.versions[versionIndex]!;
  return {
    records: fixture.records,
    model: modelFacts(fixture, versionIndex),
    stage: 'production',
    requestedBy: { id: fixture.model.ownerId, role: 'engineer' },
    requestedAt: '2026-11-29T08:59:30.000Z',
    rationale: 'First version of the credit pre-screening model.',
    assembledAt: '2026-11-29T09:00:00.000Z',
    signatureVerification: fixture.verification(version.id),
  };
}
