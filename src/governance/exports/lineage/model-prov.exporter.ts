/**
 * A model version's lineage as one W3C PROV-JSON document. The dataset part comes from the
 * provenance library's `toProvJson` (dataset versions, uploads, transformations, agents); the model
 * part is added to it in the same `assay:` naming: the training run (an activity that used the
 * training and validation splits, associated with the engineer who requested it and the worker
 * that ran it) generated the model version (an entity with its model digest); the evaluation used
 * the test split and the model and generated its evidence record; each promotion's policy
 * evaluation used the evidence document and generated the decision, which the approval (associated
 * with the approver) used; alias moves used the model version. Deterministic: every map is sorted.
 */
import canonicalize from 'canonicalize';
import {
  activityRunId,
  provId,
  toProvJson,
  type ProvAttributes,
  type ProvDocument,
  type ProvTypedLiteral,
  type ProvenanceOptions,
} from '../../../pipeline/datasets/provenance';
import type { ModelDossier } from '../dossier/model-dossier';
import { modelLineage, type Evaluation, type ModelLineage, type RecordReference, type TrainingRun } from './model-lineage';

type Relation = Exclude<keyof ProvDocument, 'prefix'>;

const qualifiedName = (name: string): ProvTypedLiteral => ({ $: name, type: 'prov:QUALIFIED_NAME' });
const typed = (value: string | number, type: string): ProvTypedLiteral => ({ $: String(value), type });

/** The provenance library's QName escaping (letters, digits, `_-~` kept, everything else percent-encoded), taken from `provId`. */
const AGENT_PREFIX = provId.agent('');
const localName = (id: string): string => provId.agent(id).slice(AGENT_PREFIX.length);

/** Identifiers of the model part; relations carry a kind segment so they never meet the dataset exporter's. */
export const modelProvId = {
  model: (modelId: string) => `assay:model/${localName(modelId)}`,
  modelVersion: (versionId: string) => `assay:model-version/${localName(versionId)}`,
  evidenceRecord: (recordId: string) => `assay:evidence-record/${localName(recordId)}`,
  evidenceDocument: (digest: string) => `assay:evidence-document/${localName(digest)}`,
  policyDecision: (promotionId: string) => `assay:policy-decision/${localName(promotionId)}`,
  alias: (modelId: string, alias: string) => `assay:alias/${localName(modelId)}/${localName(alias)}`,
  aliasState: (alias: string, at: string, action: string) => `assay:alias-state/${localName(alias)}/${localName(at)}/${localName(action)}`,
};

/**
 * `assay:usage/activity/<run>/dataset-version/<version>`: the related nodes' ids without the prefix. Their local names
 * are escaped already, and the kind segments keep these apart from the dataset exporter's `assay:usage/<run>/<version>`.
 */
const relationId = (relation: string, ...nodes: string[]): string => `assay:${relation}/${nodes.map((node) => node.replace(/^assay:/, '')).join('/')}`;

/** Accumulates the model part on top of the exporter's document. */
class ProvWriter {
  constructor(readonly document: ProvDocument) {}

  add(relation: Relation, id: string, attributes: ProvAttributes): void {
    (this.document[relation] ??= {})[id] = attributes;
  }

  used(activity: string, entity: string, role: string, time?: string): void {
    this.add('used', relationId('usage', activity, entity), {
      'prov:activity': activity,
      'prov:entity': entity,
      'prov:role': role,
      ...(time === undefined ? {} : { 'prov:time': time }),
    });
  }

  generated(entity: string, activity: string, time: string): void {
    this.add('wasGeneratedBy', relationId('generation', entity), { 'prov:entity': entity, 'prov:activity': activity, 'prov:time': time });
  }

  derived(generated: string, used: string, activity: string): void {
    this.add('wasDerivedFrom', relationId('derivation', generated, used), {
      'prov:generatedEntity': generated,
      'prov:usedEntity': used,
      'prov:activity': activity,
      'prov:generation': relationId('generation', generated),
      'prov:usage': relationId('usage', activity, used),
    });
  }

  associated(activity: string, agentId: string | null, role: string): void {
    if (agentId === null) return;
    const agent = provId.agent(agentId);
    this.add('wasAssociatedWith', relationId('association', activity, agent), { 'prov:activity': activity, 'prov:agent': agent, 'prov:role': role });
  }

  /** The document with every map in key order, as the dataset exporter writes its own. */
  sorted(): ProvDocument {
    const sortedMap = (map: Record<string, ProvAttributes>) => Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const { prefix, ...relations } = this.document;
    const out: ProvDocument = { prefix };
    for (const [key, map] of Object.entries(relations) as Array<[Relation, Record<string, ProvAttributes>]>) out[key] = sortedMap(map);
    return out;
  }
}

const evidenceAttributes = (records: readonly RecordReference[]): ProvAttributes =>
  Object.fromEntries(records.map((record, i) => [`assay:evidence/${i}`, `${record.kind} ${record.digest}`]));

function addModel(writer: ProvWriter, lineage: ModelLineage): string {
  const { model } = lineage;
  const entity = modelProvId.modelVersion(model.versionId);
  writer.add('entity', modelProvId.model(model.modelId), {
    'prov:type': qualifiedName('assay:Model'),
    'prov:label': model.name,
    'assay:modelId': model.modelId,
    'assay:riskTier': model.riskTier,
  });
  writer.add('entity', entity, {
    'prov:type': qualifiedName('assay:ModelVersion'),
    'prov:label': `${model.name} v${model.version}`,
    'assay:modelVersionId': model.versionId,
    'assay:modelId': model.modelId,
    'assay:version': typed(model.version, 'xsd:int'),
    ...(model.modelDigest === null ? {} : { 'assay:modelDigest': model.modelDigest }),
    ...Object.fromEntries(
      model.artifacts.flatMap((file, i) => [
        [`assay:artifact/${i}`, file.path],
        [`assay:artifactDigest/${i}`, file.digest],
      ]),
    ),
    ...(model.registered === null
      ? {}
      : { 'assay:registeredAt': typed(model.registered.at, 'xsd:dateTime'), ...evidenceAttributes([model.registered.evidence]) }),
  });
  writer.add('specializationOf', relationId('specialization', entity), {
    'prov:specificEntity': entity,
    'prov:generalEntity': modelProvId.model(model.modelId),
  });
  if (model.registered !== null) {
    const agent = provId.agent(model.registered.by);
    writer.add('wasAttributedTo', relationId('attribution', entity, agent), { 'prov:entity': entity, 'prov:agent': agent });
  }
  return entity;
}

function addTraining(writer: ProvWriter, training: TrainingRun, modelEntity: string, namespace: string): void {
  const activity = provId.activity(training.runId);
  writer.add('activity', activity, {
    'prov:startTime': training.startedAt,
    'prov:endTime': training.endedAt,
    'prov:type': qualifiedName('assay:training'),
    'assay:activityType': 'training',
    'assay:runId': activityRunId(training.runId, namespace),
    ...(training.specDigest === null ? {} : { 'assay:specDigest': training.specDigest }),
    ...(training.modelType === null ? {} : { 'assay:modelType': training.modelType }),
    ...(training.seed === null ? {} : { 'assay:seed': typed(training.seed, 'xsd:long') }),
    ...(training.backend === null
      ? {}
      : { 'assay:backend': `${training.backend.name} ${training.backend.version}`, 'assay:tfjsVersion': training.backend.tfjsVersion }),
    ...(training.spec === null ? {} : { 'assay:parameters': canonicalize(training.spec) ?? '{}' }),
    ...evidenceAttributes(training.evidence),
  });
  writer.associated(activity, training.requestedBy, 'requester');
  writer.associated(activity, training.executedBy, 'executor');
  for (const split of training.splits.filter((s) => s.role === 'train' || s.role === 'validation')) {
    const entity = provId.version(split.versionId);
    writer.used(activity, entity, split.role, training.startedAt);
    writer.derived(modelEntity, entity, activity);
  }
  writer.generated(modelEntity, activity, training.endedAt);
}

function addEvaluation(writer: ProvWriter, evaluation: Evaluation, modelEntity: string, namespace: string): void {
  const activity = provId.activity(evaluation.id);
  const result = modelProvId.evidenceRecord(evaluation.evidence.id);
  writer.add('activity', activity, {
    ...(evaluation.startedAt === null ? {} : { 'prov:startTime': evaluation.startedAt }),
    ...(evaluation.endedAt === null ? {} : { 'prov:endTime': evaluation.endedAt }),
    'prov:type': qualifiedName('assay:evaluation'),
    'assay:activityType': 'evaluation',
    'assay:runId': activityRunId(evaluation.id, namespace),
  });
  writer.associated(activity, evaluation.executedBy, 'executor');
  writer.add('entity', result, {
    'prov:type': qualifiedName('assay:EvidenceRecord'),
    'prov:label': evaluation.evidence.kind,
    'assay:recordId': evaluation.evidence.id,
    'assay:kind': evaluation.evidence.kind,
    'assay:digest': evaluation.evidence.digest,
    'assay:ledgerIndex': typed(evaluation.evidence.ledgerIndex, 'xsd:long'),
  });
  writer.used(activity, modelEntity, 'model', evaluation.startedAt ?? undefined);
  writer.derived(result, modelEntity, activity);
  if (evaluation.testVersionId !== null) {
    const test = provId.version(evaluation.testVersionId);
    writer.used(activity, test, 'test', evaluation.startedAt ?? undefined);
    writer.derived(result, test, activity);
  }
  writer.generated(result, activity, evaluation.evidence.createdAt);
}

function addPromotions(writer: ProvWriter, lineage: ModelLineage, modelEntity: string): void {
  for (const promotion of lineage.promotions) {
    const { decision } = promotion;
    const evaluate = provId.activity(`policy-evaluation:${promotion.id}`);
    const evidence = modelProvId.evidenceDocument(promotion.evidenceDocumentDigest);
    const decided = modelProvId.policyDecision(promotion.id);
    writer.add('entity', evidence, { 'prov:type': qualifiedName('assay:EvidenceDocument'), 'assay:digest': promotion.evidenceDocumentDigest });
    writer.add('activity', evaluate, {
      'prov:startTime': decision.evaluatedAt,
      'prov:endTime': decision.evaluatedAt,
      'prov:type': qualifiedName('assay:policy-evaluation'),
      'assay:activityType': 'policy-evaluation',
      'assay:promotionId': promotion.id,
      'assay:targetStage': promotion.targetStage,
      ...Object.fromEntries(decision.packs.map((pack, i) => [`assay:pack/${i}`, `${pack.id}@${pack.version} ${pack.digest}`])),
    });
    writer.associated(evaluate, promotion.requestedBy, 'requester');
    writer.used(evaluate, modelEntity, 'model', decision.evaluatedAt);
    writer.used(evaluate, evidence, 'evidence', decision.evaluatedAt);
    writer.add('entity', decided, {
      'prov:type': qualifiedName('assay:PolicyDecision'),
      'assay:decisionDigest': promotion.decisionDigest,
      'assay:outcome': decision.outcome,
      'assay:stage': decision.stage,
      ...Object.fromEntries(Object.entries(decision.counts).map(([outcome, count]) => [`assay:rules/${outcome}`, typed(count, 'xsd:int')])),
    });
    writer.generated(decided, evaluate, decision.evaluatedAt);
    writer.derived(decided, evidence, evaluate);
    if (promotion.decidedBy !== null && promotion.decidedAt !== null && (promotion.state === 'approved' || promotion.state === 'rejected')) {
      const decide = provId.activity(`promotion-decision:${promotion.id}`);
      writer.add('activity', decide, {
        'prov:startTime': promotion.decidedAt,
        'prov:endTime': promotion.decidedAt,
        'prov:type': qualifiedName(promotion.state === 'approved' ? 'assay:promotion-approval' : 'assay:promotion-rejection'),
        'assay:activityType': promotion.state === 'approved' ? 'promotion-approval' : 'promotion-rejection',
        'assay:promotionId': promotion.id,
        'assay:targetStage': promotion.targetStage,
        ...(promotion.rationale === null ? {} : { 'assay:rationale': promotion.rationale }),
      });
      writer.associated(decide, promotion.decidedBy, 'approver');
      writer.used(decide, decided, 'decision', promotion.decidedAt);
      writer.used(decide, modelEntity, 'model', promotion.decidedAt);
    }
  }
}

function addAliasMoves(writer: ProvWriter, lineage: ModelLineage, modelEntity: string): void {
  const { model } = lineage;
  for (const move of lineage.aliasMoves) {
    const activity = provId.activity(`alias-move:${move.alias}:${move.at}:${move.action}`);
    const alias = modelProvId.alias(model.modelId, move.alias);
    const state = modelProvId.aliasState(move.alias, move.at, move.action);
    writer.add('activity', activity, {
      'prov:startTime': move.at,
      'prov:endTime': move.at,
      'prov:type': qualifiedName('assay:alias-move'),
      'assay:activityType': 'alias-move',
      'assay:alias': move.alias,
      'assay:action': move.action,
      ...(move.fromVersion === null ? {} : { 'assay:fromVersion': typed(move.fromVersion, 'xsd:int') }),
      ...(move.toVersion === null ? {} : { 'assay:toVersion': typed(move.toVersion, 'xsd:int') }),
      ...(move.reason === null ? {} : { 'assay:reason': move.reason }),
    });
    writer.associated(activity, move.actor, move.action);
    writer.used(activity, modelEntity, move.toVersion === model.version ? 'target' : 'previous', move.at);
    writer.add('entity', alias, { 'prov:type': qualifiedName('assay:Alias'), 'assay:alias': move.alias, 'assay:modelId': model.modelId });
    writer.add('entity', state, {
      'prov:type': qualifiedName('assay:AliasState'),
      'assay:alias': move.alias,
      ...(move.toVersion === null ? {} : { 'assay:version': typed(move.toVersion, 'xsd:int') }),
      ...(move.toVersion === model.version ? { 'assay:modelVersion': modelEntity } : {}),
    });
    writer.add('specializationOf', relationId('specialization', state), { 'prov:specificEntity': state, 'prov:generalEntity': alias });
    writer.generated(state, activity, move.at);
  }
}

/** Dataset versions the run used that the dossier has no registration record for: entities with what the document knows. */
function addUnregistered(writer: ProvWriter, lineage: ModelLineage): void {
  for (const version of lineage.unregistered) {
    writer.add('entity', provId.version(version.versionId), {
      'prov:type': qualifiedName('assay:DatasetVersion'),
      'prov:label': `${version.name} v${version.version}`,
      'assay:versionId': version.versionId,
      'assay:datasetId': version.datasetId,
      'assay:version': typed(version.version, 'xsd:int'),
      'assay:tableSha256': version.tableDigest,
    });
  }
}

export function toModelProvJson(dossier: ModelDossier, options?: ProvenanceOptions): ProvDocument {
  const lineage = modelLineage(dossier);
  const writer = new ProvWriter(toProvJson(lineage.graph, options));
  const namespace = writer.document.prefix.assay as string;
  addUnregistered(writer, lineage);
  const modelEntity = addModel(writer, lineage);
  if (lineage.training !== null) addTraining(writer, lineage.training, modelEntity, namespace);
  if (lineage.evaluation !== null) addEvaluation(writer, lineage.evaluation, modelEntity, namespace);
  addPromotions(writer, lineage, modelEntity);
  addAliasMoves(writer, lineage, modelEntity);
  return writer.sorted();
}
