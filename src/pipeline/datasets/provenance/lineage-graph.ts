import type { ColumnType } from '../table';

/**
 * The lineage of dataset versions as plain rows, shaped so a database layer can fill it with one
 * query per list: versions, the activities (upload, ingest, transformations) that produced them,
 * and the agents who ran them. The PROV-JSON and OpenLineage exporters read only this.
 */
export interface LineageGraph {
  versions: LineageVersion[];
  activities: LineageActivity[];
  agents: LineageAgent[];
}

export interface LineageColumn {
  name: string;
  /** As profiled at ingest; exported as `string` when unknown (every cell is text). */
  type?: ColumnType;
}

export interface LineageVersion {
  /** Version id (unique across datasets). */
  id: string;
  datasetId: string;
  datasetName?: string;
  /** 1, 2, … within the dataset. */
  version: number;
  /** SHA-256 of the uploaded bytes as recorded (`sha256:<hex>`); uploads only, so null or absent otherwise. */
  sha256?: string | null;
  /** SHA-256 of the canonical parsed table as recorded (`sha256:<hex>`). */
  tableSha256: string;
  /** Row count; a decimal string is accepted as PostgreSQL returns bigint. */
  rows: number | string;
  /** Stored size in bytes, when known (number or decimal string). */
  bytes?: number | string | null;
  columns: LineageColumn[];
  createdAt: Date | string;
  /** Agent id. */
  createdBy: string;
}

/** An output of an activity: a version id, or a version id with the role it played (`train`, `test`, …). */
export type LineageOutput = string | { versionId: string; role?: string | null };

export interface LineageActivity {
  id: string;
  /** `upload`, `ingest`, or a transformation type (`split`, `filter`, …). */
  type: string;
  /** The activity's parameters as recorded (a transformation's spec, an upload's ingest options); JSON. */
  parameters: Record<string, unknown>;
  /** Version ids read. */
  inputs: string[];
  /** Versions written. */
  outputs: LineageOutput[];
  startedAt: Date | string;
  endedAt: Date | string;
  /** Agent id of who ran it. */
  actor: string;
}

export interface LineageAgent {
  id: string;
  kind: 'person' | 'software' | 'organization';
  /** Display name; leave it out where names must not be exported. */
  label?: string;
  /** Platform role (`engineer`, …). */
  role?: string;
}

/** The graph does not hold together; `problems` lists each broken reference or rule. */
export class LineageGraphError extends Error {
  override readonly name = 'LineageGraphError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid lineage graph: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; … (${problems.length} problems)` : ''}`);
  }
}

/** The version ids an activity wrote. */
export function outputIds(activity: LineageActivity): string[] {
  return activity.outputs.map((o) => (typeof o === 'string' ? o : o.versionId));
}

/** The role a version played among an activity's outputs, if recorded. */
export function outputRole(activity: LineageActivity, versionId: string): string | undefined {
  for (const o of activity.outputs) if (typeof o !== 'string' && o.versionId === versionId && o.role) return o.role;
  return undefined;
}

/**
 * Uploads are versions, not rows of an activity table: this makes the activity that stands for one
 * (id `upload:<version id>`, instantaneous at the version's creation, run by its creator), so the
 * exports show where the first version came from.
 */
export function uploadActivity(version: LineageVersion, parameters: Record<string, unknown> = {}): LineageActivity {
  return {
    id: `upload:${version.id}`,
    type: 'upload',
    parameters,
    inputs: [],
    outputs: [version.id],
    startedAt: version.createdAt,
    endedAt: version.createdAt,
    actor: version.createdBy,
  };
}

/** A count given as a number or decimal string (bigint columns), as a number; undefined if it is neither. */
export function countOf(value: number | string | null | undefined): number | undefined {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** An instant as the ISO 8601 UTC text both exports use; throws on an invalid date. */
export function isoTime(value: Date | string, what: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new LineageGraphError([`${what} is not a valid time (${String(value).slice(0, 40)})`]);
  return date.toISOString();
}

/**
 * Problems that would make an export wrong or unreadable: duplicate ids, references to versions
 * or agents not in the graph, a version generated twice, time running backwards, cycles.
 */
export function lineageGraphProblems(graph: LineageGraph): string[] {
  const problems: string[] = [];
  const versions = uniqueIds(graph.versions, 'version', problems);
  const agents = uniqueIds(graph.agents, 'agent', problems);
  uniqueIds(graph.activities, 'activity', problems);

  for (const v of graph.versions) {
    if (!agents.has(v.createdBy)) problems.push(`version ${v.id}: createdBy ${v.createdBy} is not an agent in the graph`);
    if (!Number.isSafeInteger(v.version) || v.version < 1) problems.push(`version ${v.id}: version must be a positive integer`);
    if (countOf(v.rows) === undefined) problems.push(`version ${v.id}: rows must be a non-negative integer`);
    if (v.bytes !== undefined && v.bytes !== null && countOf(v.bytes) === undefined)
      problems.push(`version ${v.id}: bytes must be a non-negative integer`);
    if (typeof v.tableSha256 !== 'string' || v.tableSha256.length === 0) problems.push(`version ${v.id}: tableSha256 is required`);
    if (!validTime(v.createdAt)) problems.push(`version ${v.id}: createdAt is not a valid time`);
  }
  const generatedBy = new Map<string, string>();
  for (const a of graph.activities) {
    if (!agents.has(a.actor)) problems.push(`activity ${a.id}: actor ${a.actor} is not an agent in the graph`);
    const outputs = outputIds(a);
    if (outputs.length === 0) problems.push(`activity ${a.id}: has no outputs`);
    for (const id of [...a.inputs, ...outputs]) {
      if (!versions.has(id)) problems.push(`activity ${a.id}: version ${id} is not in the graph`);
    }
    for (const id of outputs) {
      const other = generatedBy.get(id);
      if (other !== undefined) problems.push(`version ${id} is generated by both ${other} and ${a.id}`);
      else generatedBy.set(id, a.id);
      if (a.inputs.includes(id)) problems.push(`activity ${a.id}: version ${id} is both input and output`);
    }
    if (!validTime(a.startedAt) || !validTime(a.endedAt)) problems.push(`activity ${a.id}: startedAt and endedAt must be valid times`);
    else if (new Date(a.endedAt).getTime() < new Date(a.startedAt).getTime()) problems.push(`activity ${a.id}: ends before it starts`);
  }
  if (problems.length === 0) {
    const cycle = findCycle(graph, generatedBy);
    if (cycle) problems.push(`versions derive from themselves: ${cycle.join(' → ')}`);
  }
  return problems;
}

export function assertLineageGraph(graph: LineageGraph): void {
  const problems = lineageGraphProblems(graph);
  if (problems.length > 0) throw new LineageGraphError(problems);
}

/**
 * The part of the graph a version's lineage needs: the activities that led to it, back to its
 * uploads, with every version they read or wrote (so a split's sibling outputs show too) and the
 * agents involved.
 */
export function lineageOf(graph: LineageGraph, versionId: string): LineageGraph {
  const versionById = new Map(graph.versions.map((v) => [v.id, v]));
  if (!versionById.has(versionId)) throw new LineageGraphError([`version ${versionId} is not in the graph`]);
  const producer = new Map<string, LineageActivity>();
  for (const a of graph.activities) for (const out of outputIds(a)) producer.set(out, a);

  const versionIds = new Set<string>([versionId]);
  const activityIds = new Set<string>();
  const pending = [versionId];
  while (pending.length > 0) {
    const activity = producer.get(pending.pop() as string);
    if (!activity || activityIds.has(activity.id)) continue;
    activityIds.add(activity.id);
    for (const out of outputIds(activity)) versionIds.add(out);
    for (const input of activity.inputs) {
      if (!versionIds.has(input)) pending.push(input);
      versionIds.add(input);
    }
  }
  const versions = graph.versions.filter((v) => versionIds.has(v.id));
  const activities = graph.activities.filter((a) => activityIds.has(a.id));
  const agentIds = new Set([...versions.map((v) => v.createdBy), ...activities.map((a) => a.actor)]);
  return { versions, activities, agents: graph.agents.filter((a) => agentIds.has(a.id)) };
}

function uniqueIds(items: readonly { id: string }[], kind: string, problems: string[]): Set<string> {
  const ids = new Set<string>();
  for (const { id } of items) {
    if (typeof id !== 'string' || id.length === 0) problems.push(`${kind} with an empty id`);
    else if (ids.has(id)) problems.push(`${kind} ${id} appears twice`);
    ids.add(id);
  }
  return ids;
}

function validTime(value: Date | string): boolean {
  return !Number.isNaN((value instanceof Date ? value : new Date(value)).getTime());
}

/** A cycle of versions through the activities, if any (iterative DFS: graphs can be deep). */
function findCycle(graph: LineageGraph, generatedBy: Map<string, string>): string[] | undefined {
  const activities = new Map(graph.activities.map((a) => [a.id, a]));
  const parents = (versionId: string): string[] => {
    const producer = generatedBy.get(versionId);
    return producer ? (activities.get(producer)?.inputs ?? []) : [];
  };
  const state = new Map<string, 'open' | 'done'>();
  for (const { id: root } of graph.versions) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const list = parents(top.id);
      if (top.next >= list.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const parent = list[top.next++] as string;
      const seen = state.get(parent);
      if (seen === 'open') return [...stack.slice(stack.findIndex((f) => f.id === parent)).map((f) => f.id), parent];
      if (seen === undefined) {
        state.set(parent, 'open');
        stack.push({ id: parent, next: 0 });
      }
    }
  }
  return undefined;
}
