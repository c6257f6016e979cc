import canonicalize from 'canonicalize';
import {
  assertLineageGraph,
  countOf,
  isoTime,
  outputIds,
  outputRole,
  type LineageAgent,
  type LineageGraph,
  type LineageVersion,
} from './lineage-graph';
import { PROV_NAMESPACE, XSD_NAMESPACE, localName, namespaceBase, type ProvenanceOptions } from './provenance-namespace';
import { activityRunId } from './run-id';

/** PROV-JSON literals (W3C Member Submission 2013-04-24, §3.2). */
export type ProvSimpleLiteral = string | number | boolean;
export interface ProvTypedLiteral {
  $: string;
  type: string;
}
export type ProvLiteral = ProvSimpleLiteral | ProvTypedLiteral | (ProvSimpleLiteral | ProvTypedLiteral)[];
export type ProvAttributes = Record<string, ProvLiteral>;

export interface ProvDocument {
  prefix: Record<string, string>;
  entity?: Record<string, ProvAttributes>;
  activity?: Record<string, ProvAttributes>;
  agent?: Record<string, ProvAttributes>;
  wasGeneratedBy?: Record<string, ProvAttributes>;
  used?: Record<string, ProvAttributes>;
  wasDerivedFrom?: Record<string, ProvAttributes>;
  wasAssociatedWith?: Record<string, ProvAttributes>;
  wasAttributedTo?: Record<string, ProvAttributes>;
  specializationOf?: Record<string, ProvAttributes>;
}

/** Media type to serve the document with. */
export const PROV_JSON_MEDIA_TYPE = 'application/json';

const qualifiedName = (name: string): ProvTypedLiteral => ({ $: name, type: 'prov:QUALIFIED_NAME' });
const typed = (value: string | number, type: string): ProvTypedLiteral => ({ $: String(value), type });

/** Stable, readable identifiers in the `assay:` namespace, one scheme per kind of node or relation. */
export const provId = {
  dataset: (datasetId: string) => `assay:dataset/${localName(datasetId)}`,
  version: (versionId: string) => `assay:dataset-version/${localName(versionId)}`,
  activity: (activityId: string) => `assay:activity/${localName(activityId)}`,
  agent: (agentId: string) => `assay:agent/${localName(agentId)}`,
};

const AGENT_TYPES: Record<LineageAgent['kind'], string> = {
  person: 'prov:Person',
  software: 'prov:SoftwareAgent',
  organization: 'prov:Organization',
};

/**
 * The graph as a W3C PROV-JSON document: dataset versions (and the datasets they are versions of)
 * as entities, uploads and transformations as activities with their parameters, users as agents,
 * and the generation, usage, derivation, association and attribution relations between them.
 * Deterministic: the same graph always gives the same document (maps are filled in sorted order),
 * so the export itself can be digested and signed. Use `lineageOf` first for one version's lineage.
 */
export function toProvJson(graph: LineageGraph, options?: ProvenanceOptions): ProvDocument {
  assertLineageGraph(graph);
  const namespace = namespaceBase(options);
  const versions = sortById(graph.versions);
  const activities = sortById(graph.activities);
  const versionById = new Map(versions.map((v) => [v.id, v]));

  const entity: Record<string, ProvAttributes> = {};
  const specializationOf: Record<string, ProvAttributes> = {};
  const wasAttributedTo: Record<string, ProvAttributes> = {};
  for (const dataset of datasetsOf(versions)) {
    entity[provId.dataset(dataset.datasetId)] = {
      'prov:type': qualifiedName('assay:Dataset'),
      ...(dataset.datasetName === undefined ? {} : { 'prov:label': dataset.datasetName }),
      'assay:datasetId': dataset.datasetId,
    };
  }
  for (const v of versions) {
    const id = provId.version(v.id);
    entity[id] = versionAttributes(v);
    specializationOf[`assay:specialization/${localName(v.id)}`] = {
      'prov:specificEntity': id,
      'prov:generalEntity': provId.dataset(v.datasetId),
    };
    wasAttributedTo[`assay:attribution/${localName(v.id)}`] = { 'prov:entity': id, 'prov:agent': provId.agent(v.createdBy) };
  }

  const activity: Record<string, ProvAttributes> = {};
  const wasGeneratedBy: Record<string, ProvAttributes> = {};
  const used: Record<string, ProvAttributes> = {};
  const wasDerivedFrom: Record<string, ProvAttributes> = {};
  const wasAssociatedWith: Record<string, ProvAttributes> = {};
  for (const a of activities) {
    const id = provId.activity(a.id);
    const startTime = isoTime(a.startedAt, `activity ${a.id} startedAt`);
    activity[id] = {
      'prov:startTime': startTime,
      'prov:endTime': isoTime(a.endedAt, `activity ${a.id} endedAt`),
      'prov:type': qualifiedName(`assay:${localName(a.type)}`),
      'assay:activityType': a.type,
      'assay:runId': activityRunId(a.id, namespace),
      // Lossless for replay (RFC 8785 canonical JSON), then one attribute per leaf for queries.
      'assay:parameters': canonicalize(a.parameters) ?? '{}',
      ...parameterAttributes(a.parameters),
    };
    wasAssociatedWith[`assay:association/${localName(a.id)}`] = { 'prov:activity': id, 'prov:agent': provId.agent(a.actor) };

    const inputs = [...new Set(a.inputs)].sort(compare);
    for (const input of inputs) {
      used[usageId(a.id, input)] = { 'prov:activity': id, 'prov:entity': provId.version(input), 'prov:time': startTime };
    }
    for (const output of [...new Set(outputIds(a))].sort(compare)) {
      const version = versionById.get(output) as LineageVersion;
      const role = outputRole(a, output);
      wasGeneratedBy[generationId(output)] = {
        'prov:entity': provId.version(output),
        'prov:activity': id,
        'prov:time': isoTime(version.createdAt, `version ${output} createdAt`),
        ...(role === undefined ? {} : { 'prov:role': role }),
      };
      for (const input of inputs) {
        wasDerivedFrom[`assay:derivation/${localName(output)}/${localName(input)}`] = {
          'prov:generatedEntity': provId.version(output),
          'prov:usedEntity': provId.version(input),
          'prov:activity': id,
          'prov:generation': generationId(output),
          'prov:usage': usageId(a.id, input),
        };
      }
    }
  }

  const agent: Record<string, ProvAttributes> = {};
  for (const ag of sortById(graph.agents)) {
    agent[provId.agent(ag.id)] = {
      'prov:type': qualifiedName(AGENT_TYPES[ag.kind]),
      ...(ag.label === undefined ? {} : { 'prov:label': ag.label }),
      ...(ag.role === undefined ? {} : { 'assay:role': ag.role }),
      'assay:agentId': ag.id,
    };
  }

  const document: ProvDocument = { prefix: { assay: namespace, prov: PROV_NAMESPACE, xsd: XSD_NAMESPACE } };
  const parts = { entity, activity, agent, wasGeneratedBy, used, wasDerivedFrom, wasAssociatedWith, wasAttributedTo, specializationOf };
  for (const [key, map] of Object.entries(parts)) {
    if (Object.keys(map).length > 0) document[key as keyof typeof parts] = map;
  }
  return document;
}

function versionAttributes(v: LineageVersion): ProvAttributes {
  return {
    'prov:type': qualifiedName('assay:DatasetVersion'),
    'prov:label': `${v.datasetName ?? v.datasetId} v${v.version}`,
    'assay:versionId': v.id,
    'assay:datasetId': v.datasetId,
    'assay:version': typed(v.version, 'xsd:int'),
    ...(v.sha256 ? { 'assay:sha256': v.sha256 } : {}),
    'assay:tableSha256': v.tableSha256,
    'assay:rows': typed(countOf(v.rows) ?? 0, 'xsd:long'),
    ...(countOf(v.bytes) === undefined ? {} : { 'assay:bytes': typed(countOf(v.bytes) ?? 0, 'xsd:long') }),
    'assay:columns': typed(v.columns.length, 'xsd:int'),
    // PROV attribute values are sets, so the column order lives in the attribute names.
    ...Object.fromEntries(v.columns.map((c, i) => [`assay:column/${i}`, c.name])),
    ...Object.fromEntries(v.columns.flatMap((c, i) => (c.type === undefined ? [] : [[`assay:columnType/${i}`, c.type]]))),
    'assay:createdAt': typed(isoTime(v.createdAt, `version ${v.id} createdAt`), 'xsd:dateTime'),
  };
}

/**
 * Parameters flattened to one attribute per JSON leaf, named by its path:
 * {ratios: {train: 0.7}} → `assay:parameter/ratios/train`: 0.7. Nulls are left out (no PROV literal).
 */
function parameterAttributes(parameters: Record<string, unknown>): ProvAttributes {
  const out: ProvAttributes = {};
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' || typeof value === 'boolean') out[path] = value;
    else if (typeof value === 'number') out[path] = Number.isFinite(value) ? value : String(value);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}/${i}`));
    else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value).sort(compare)) walk((value as Record<string, unknown>)[key], `${path}/${localName(key)}`);
    }
  };
  for (const key of Object.keys(parameters).sort(compare)) walk(parameters[key], `assay:parameter/${localName(key)}`);
  return out;
}

const generationId = (versionId: string): string => `assay:generation/${localName(versionId)}`;
const usageId = (activityId: string, versionId: string): string => `assay:usage/${localName(activityId)}/${localName(versionId)}`;

function datasetsOf(versions: readonly LineageVersion[]): { datasetId: string; datasetName?: string }[] {
  const byId = new Map<string, { datasetId: string; datasetName?: string }>();
  for (const v of versions) {
    const known = byId.get(v.datasetId);
    if (!known || (known.datasetName === undefined && v.datasetName !== undefined)) {
      byId.set(
        v.datasetId,
        v.datasetName === undefined ? { datasetId: v.datasetId } : { datasetId: v.datasetId, datasetName: v.datasetName },
      );
    }
  }
  return [...byId.values()].sort((a, b) => compare(a.datasetId, b.datasetId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compare(a.id, b.id));
}
