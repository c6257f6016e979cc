import { verifyCheckpoint, type ParsedCheckpoint } from './checkpoint';
import { entryLeafHash, type LedgerEntry } from './ledger-entry';
import { LedgerVerificationError } from './ledger-verification.error';
import {
  CompactRange,
  EMPTY_ROOT,
  HASH_SIZE,
  bytesEqual,
  hashLeaf,
  nodeCompletedAt,
  type NodeRef,
  type StoredNode,
} from './merkle';
import { parseVerifierKey, type NoteVerifierKey } from './note-key';

/** An entry as read from the database, with the leaf hash stored beside it if there is one. */
export interface StoredLedgerEntry {
  readonly entry: LedgerEntry;
  readonly leafHash?: Uint8Array;
}

/**
 * An entry as its stored canonical bytes (what was hashed) and its position: the fast path for
 * auditing a database, where parsing and re-canonicalising every entry would dominate the cost.
 * Integrity does not need the parse: any change to the bytes changes the leaf hash.
 */
export interface CanonicalLedgerEntry {
  readonly index: number;
  readonly canonical: Uint8Array;
  readonly leafHash?: Uint8Array;
}

export type LedgerEntryInput = LedgerEntry | StoredLedgerEntry | CanonicalLedgerEntry;

export interface VerifyLedgerInput {
  /** Every entry, in index order. */
  readonly entries: AsyncIterable<LedgerEntryInput> | Iterable<LedgerEntryInput>;
  /**
   * Optional: the stored tree nodes (all levels), in completion order, i.e. sorted by
   * (nodeCompletedAt(level, index), level) — in SQL `ORDER BY ((index + 1) << level) - 1, level`.
   * That is the order a streaming rebuild produces them in, so one sequential scan checks every
   * stored node in O(log n) memory.
   */
  readonly storedNodes?: AsyncIterable<StoredNode> | Iterable<StoredNode>;
  /** The latest signed checkpoint (C2SP tlog-checkpoint). */
  readonly checkpoint: string;
  readonly verifierKey: NoteVerifierKey | string;
  /** An earlier checkpoint someone kept (e.g. from an exported bundle): the log must still contain it. */
  readonly earlierCheckpoint?: string;
  /** When given, both checkpoints must carry this origin. */
  readonly origin?: string;
  /** Problems kept in the report (default 100); the rest are only counted. */
  readonly maxProblems?: number;
}

export type LedgerProblemCode =
  | 'INDEX_GAP'
  | 'ENTRY_MALFORMED'
  | 'ENTRY_HASH_MISMATCH'
  | 'NODE_HASH_MISMATCH'
  | 'NODE_MISSING'
  | 'NODE_UNEXPECTED'
  | 'LOG_TRUNCATED'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'CHECKPOINT_ROOT_MISMATCH'
  | 'CHECKPOINT_INCONSISTENT';

export interface LedgerProblem {
  readonly code: LedgerProblemCode;
  readonly message: string;
  /** The entry (leaf position) implicated, when one is. */
  readonly index?: number;
  /** The stored node implicated, for problems above the leaves. */
  readonly node?: NodeRef;
  readonly checkpoint?: 'latest' | 'earlier';
}

export interface LedgerVerificationReport {
  readonly ok: boolean;
  /** Number of entries read. */
  readonly entries: number;
  /** Hex root recomputed from all entries read (RFC 9162 MTH). */
  readonly root: string;
  /** The latest checkpoint, when its signature verified. */
  readonly checkpoint?: { readonly origin: string; readonly size: number; readonly root: string };
  /** Lowest entry index implicated by any problem (a checkpoint-only problem names no entry). */
  readonly firstBadIndex?: number;
  readonly problems: readonly LedgerProblem[];
  readonly problemsOmitted: number;
}

type Which = 'latest' | 'earlier';

class Problems {
  readonly list: LedgerProblem[] = [];
  omitted = 0;
  firstBadIndex: number | undefined;

  constructor(private readonly max: number) {}

  add(problem: LedgerProblem): void {
    if (problem.index !== undefined && (this.firstBadIndex === undefined || problem.index < this.firstBadIndex))
      this.firstBadIndex = problem.index;
    if (this.list.length < this.max) this.list.push(problem);
    else this.omitted++;
  }
}

/** One node of look-ahead in the stored-node stream. Only an async source makes a caller wait. */
class NodeCursor {
  private head: StoredNode | undefined;
  private done = false;

  constructor(private readonly iterator: Iterator<StoredNode> | AsyncIterator<StoredNode>) {}

  get current(): StoredNode | undefined {
    return this.head;
  }

  /** Buffer the next node if none is; returns a promise only when the source is async. */
  fill(): Promise<void> | undefined {
    if (this.head !== undefined || this.done) return undefined;
    const next = this.iterator.next();
    if (isPromiseLike(next)) return Promise.resolve(next).then((result) => this.accept(result));
    this.accept(next);
    return undefined;
  }

  take(): void {
    this.head = undefined;
  }

  private accept(result: IteratorResult<StoredNode>): void {
    if (result.done) this.done = true;
    else this.head = result.value;
  }
}

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown }).then === 'function';

const iteratorOf = <T>(source: AsyncIterable<T> | Iterable<T>): Iterator<T> | AsyncIterator<T> =>
  Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();

/** Completion order: the leaf whose append creates the node, then the level. */
const completionOrder = (a: NodeRef, b: NodeRef): number =>
  nodeCompletedAt(a.level, a.index) - nodeCompletedAt(b.level, b.index) || a.level - b.level;

const isCanonical = (item: LedgerEntryInput): item is CanonicalLedgerEntry =>
  typeof item === 'object' && item !== null && 'canonical' in item;

const isStored = (item: LedgerEntryInput): item is StoredLedgerEntry =>
  typeof item === 'object' && item !== null && 'entry' in item;

const ZERO_HASH = Buffer.alloc(HASH_SIZE);

function openCheckpoint(
  text: string,
  key: NoteVerifierKey,
  origin: string | undefined,
  which: Which,
  problems: Problems,
): ParsedCheckpoint | undefined {
  const result = verifyCheckpoint(text, key, { origin });
  if (result.ok) return result.checkpoint;
  problems.add({ code: result.code, checkpoint: which, message: `${which} checkpoint: ${result.reason}` });
  return undefined;
}

/**
 * Recompute the ledger's Merkle tree from its entries, compare it with what the database stored
 * and with signed checkpoints, and report every discrepancy. Needs no database: the caller streams
 * rows in. Verifier-key errors throw (configuration); everything about the data is reported.
 */
export async function verifyLedger(input: VerifyLedgerInput): Promise<LedgerVerificationReport> {
  const key = typeof input.verifierKey === 'string' ? parseVerifierKey(input.verifierKey) : input.verifierKey;
  const problems = new Problems(input.maxProblems ?? 100);
  const latest = openCheckpoint(input.checkpoint, key, input.origin, 'latest', problems);
  const earlier =
    input.earlierCheckpoint === undefined
      ? undefined
      : openCheckpoint(input.earlierCheckpoint, key, input.origin, 'earlier', problems);

  // Roots to capture on the way, by tree size.
  const rootsAt = new Map<number, Buffer | undefined>();
  for (const cp of [latest, earlier]) if (cp) rootsAt.set(cp.size, cp.size === 0 ? Buffer.from(EMPTY_ROOT) : undefined);

  const cursor = input.storedNodes ? new NodeCursor(iteratorOf(input.storedNodes)) : undefined;
  const completed: StoredNode[] = [];
  const tree = new CompactRange(cursor ? (level, index, hash) => completed.push({ level, index, hash }) : undefined);
  // A stored node above a leaf already reported bad differs as a consequence; say it once.
  let lastBadLeaf = -1;
  let offset = 0; // entry.index - position of the previous entry: a gap is reported where it changes

  const leafMismatch = (position: number, what: string): void => {
    lastBadLeaf = position;
    problems.add({
      code: 'ENTRY_HASH_MISMATCH',
      index: position,
      message: `entry ${position}: ${what} differs from the hash recomputed from the entry`,
    });
  };

  /** Compare one recomputed node with the stream; false when a stray stored node was skipped and it must run again. */
  const compareNode = (node: StoredNode, position: number): boolean => {
    const stored = cursor!.current;
    const order = stored === undefined ? 1 : completionOrder(stored, node);
    if (order < 0) {
      cursor!.take();
      problems.add({
        code: 'NODE_UNEXPECTED',
        node: { level: stored!.level, index: stored!.index },
        message: `stored node (level ${stored!.level}, index ${stored!.index}) is out of place or duplicated`,
      });
      return false;
    }
    if (order > 0) {
      problems.add({
        code: 'NODE_MISSING',
        ...(node.level === 0 ? { index: node.index } : {}),
        node: { level: node.level, index: node.index },
        message: `stored node (level ${node.level}, index ${node.index}) is missing`,
      });
      return true;
    }
    cursor!.take();
    if (bytesEqual(stored!.hash, node.hash)) return true;
    if (node.level === 0) {
      if (lastBadLeaf !== position) leafMismatch(position, 'stored leaf node');
    } else if (node.index * 2 ** node.level > lastBadLeaf) {
      problems.add({
        code: 'NODE_HASH_MISMATCH',
        node: { level: node.level, index: node.index },
        message: `stored node (level ${node.level}, index ${node.index}) differs from the recomputed one`,
      });
    }
    return true;
  };

  let checked = 0;
  const checkCompleted = (position: number): Promise<void> | undefined => {
    while (checked < completed.length) {
      const wait = cursor!.fill();
      if (wait) return wait.then(() => checkCompleted(position));
      if (compareNode(completed[checked]!, position)) checked++;
    }
    completed.length = 0;
    checked = 0;
    return undefined;
  };

  let position = 0;
  /** Everything for one entry; returns a promise only when the stored-node stream is async. */
  const consume = (item: LedgerEntryInput): Promise<void> | undefined => {
    const canonical = isCanonical(item) ? item.canonical : undefined;
    const entry: unknown = isStored(item) ? item.entry : canonical ? undefined : item;
    const storedLeaf = isStored(item) || isCanonical(item) ? item.leafHash : undefined;
    const found = isCanonical(item)
      ? item.index
      : typeof entry === 'object' && entry !== null && 'index' in entry
        ? entry.index
        : undefined;

    if (typeof found === 'number' && found !== position) {
      lastBadLeaf = position;
      if (found - position !== offset) {
        const what =
          found > position
            ? `${found - position} entr${found - position === 1 ? 'y' : 'ies'} missing before it`
            : 'out of order or duplicated';
        problems.add({
          code: 'INDEX_GAP',
          index: position,
          message: `position ${position} holds entry index ${found}: ${what}`,
        });
      }
      offset = found - position;
    } else {
      offset = 0;
    }

    let leaf: Buffer | undefined;
    try {
      leaf = canonical ? hashLeaf(canonical) : entryLeafHash(entry as LedgerEntry);
    } catch (error) {
      if (!(error instanceof LedgerVerificationError)) throw error;
      lastBadLeaf = position;
      problems.add({ code: 'ENTRY_MALFORMED', index: position, message: `entry ${position}: ${error.message}` });
    }
    if (leaf && storedLeaf !== undefined && !bytesEqual(storedLeaf, leaf) && lastBadLeaf !== position)
      leafMismatch(position, 'stored leaf hash');

    // Keep positions aligned even when an entry cannot be hashed; the roots will then disagree.
    tree.push(leaf ?? (storedLeaf?.length === HASH_SIZE ? storedLeaf : ZERO_HASH));
    position++;
    if (rootsAt.has(position)) rootsAt.set(position, tree.root());
    return cursor ? checkCompleted(position - 1) : undefined;
  };

  // A plain loop for in-memory arrays: `for await` would cost a microtask per entry.
  if (Symbol.asyncIterator in input.entries) {
    for await (const item of input.entries) await consume(item);
  } else {
    for (const item of input.entries) {
      const wait = consume(item);
      if (wait) await wait;
    }
  }

  if (cursor) {
    await cursor.fill();
    const extra = cursor.current;
    if (extra) {
      problems.add({
        code: 'NODE_UNEXPECTED',
        ...(extra.level === 0 ? { index: extra.index } : {}),
        node: { level: extra.level, index: extra.index },
        message: `stored nodes continue past the last entry (from level ${extra.level}, index ${extra.index}): entries deleted?`,
      });
    }
  }

  const rootMatches = new Map<Which, boolean>();
  for (const [which, cp] of [
    ['latest', latest],
    ['earlier', earlier],
  ] as const) {
    if (!cp) continue;
    if (cp.size > position) {
      problems.add({
        code: 'LOG_TRUNCATED',
        index: position,
        checkpoint: which,
        message: `the ${which} checkpoint commits to ${cp.size} entries but the log has ${position}: entries were deleted or rolled back`,
      });
      rootMatches.set(which, false);
    } else {
      const matches = bytesEqual(rootsAt.get(cp.size)!, cp.rootHash);
      rootMatches.set(which, matches);
      if (!matches)
        problems.add({
          code: 'CHECKPOINT_ROOT_MISMATCH',
          checkpoint: which,
          message: `the root of the first ${cp.size} entries differs from the ${which} checkpoint's root`,
        });
    }
  }

  if (latest && earlier) {
    const inconsistent = (message: string) =>
      problems.add({ code: 'CHECKPOINT_INCONSISTENT', checkpoint: 'earlier', message });
    if (earlier.origin !== latest.origin)
      inconsistent(`the checkpoints name different logs (${earlier.origin}, ${latest.origin})`);
    else if (earlier.size > latest.size)
      inconsistent(
        `the earlier checkpoint (size ${earlier.size}) is larger than the latest (size ${latest.size}): the log was rolled back`,
      );
    else if (earlier.size === latest.size && !earlier.rootHash.equals(latest.rootHash))
      inconsistent(`fork: two signed checkpoints of size ${latest.size} with different roots`);
    else if (rootMatches.get('latest') && !rootMatches.get('earlier'))
      inconsistent(`fork: the latest checkpoint does not extend the earlier one (size ${earlier.size})`);
  }

  const root = tree.root().toString('hex');
  return {
    ok: problems.list.length === 0 && problems.omitted === 0,
    entries: position,
    root,
    ...(latest
      ? { checkpoint: { origin: latest.origin, size: latest.size, root: latest.rootHash.toString('hex') } }
      : {}),
    ...(problems.firstBadIndex !== undefined ? { firstBadIndex: problems.firstBadIndex } : {}),
    problems: problems.list,
    problemsOmitted: problems.omitted,
  };
}
