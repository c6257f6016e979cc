import { createHash, createHmac } from 'node:crypto';
import type { Table } from '../table';
import { TransformationError } from './transformation.error';
import { columnIndex, tableOf, type TransformOutcome } from './transform-outcome';
import { SINGLE_OUTPUT_ROLE, type PseudonymiseSpec } from './transformation-spec';

export const PSEUDONYMISE_ALGORITHM = 'assay.pseudonymise/v1';
/** Marks a cell as a pseudonym, so nobody mistakes it for an original identifier. */
export const PSEUDONYM_PREFIX = 'ps_';
/**
 * 32 hex characters = the first 128 bits of the HMAC: collisions stay negligible (birthday bound
 * around 2^64 distinct values) while the cells stay readable.
 */
export const PSEUDONYM_HEX_LENGTH = 32;
/** HMAC-SHA-256 keys shorter than the hash add no strength and hint at a hand-typed secret. */
export const MIN_PSEUDONYMISATION_KEY_BYTES = 32;

/**
 * Names a key without revealing it: the first 8 hex characters of SHA-256(key). Recorded with
 * the outputs so one can tell which key (and so which pseudonym space) a version was made with.
 */
export function pseudonymisationKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * `ps_` + the first 32 hex characters of HMAC-SHA-256(key, UTF-8 value). Deterministic per key,
 * and keyed on the value alone (not the column), so the same identifier links across columns and
 * versions made with one key, and cannot be guessed or linked without the key.
 */
export function pseudonym(value: string, key: Uint8Array): string {
  return PSEUDONYM_PREFIX + createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, PSEUDONYM_HEX_LENGTH);
}

/** Replaces each present value of the named columns with its pseudonym; missing stays missing. */
export function pseudonymiseColumns(table: Table, spec: PseudonymiseSpec, key: Uint8Array | undefined): TransformOutcome {
  const checkedKey = checkKey(key);
  const targets = spec.columns.map((name) => columnIndex(table, name));
  // One HMAC per distinct value: identifier columns repeat values across many rows.
  const cache = new Map<string, string>();
  const distinct = targets.map(() => new Set<string>());
  let replaced = 0;
  const rows = table.rows.map((row) => {
    const copy = [...row];
    targets.forEach((index, t) => {
      const cell = copy[index] ?? null;
      if (cell === null) return;
      let mapped = cache.get(cell);
      if (mapped === undefined) {
        mapped = pseudonym(cell, checkedKey);
        cache.set(cell, mapped);
      }
      copy[index] = mapped;
      distinct[t]?.add(mapped);
      replaced++;
    });
    return copy;
  });
  return {
    outputs: [{ role: SINGLE_OUTPUT_ROLE, table: tableOf(table.columns, rows) }],
    details: {
      method: 'HMAC-SHA-256',
      keyId: pseudonymisationKeyId(checkedKey),
      prefix: PSEUDONYM_PREFIX,
      hexLength: PSEUDONYM_HEX_LENGTH,
      columns: [...spec.columns],
      pseudonymisedCells: replaced,
      distinctValues: Object.fromEntries(spec.columns.map((name, t) => [name, distinct[t]?.size ?? 0])),
    },
  };
}

function checkKey(key: Uint8Array | undefined): Uint8Array {
  if (!(key instanceof Uint8Array)) {
    throw new TransformationError('pseudonymise needs context.pseudonymisationKey (a Buffer held by the caller, never in the spec)');
  }
  if (key.length < MIN_PSEUDONYMISATION_KEY_BYTES) {
    throw new TransformationError(`the pseudonymisation key must be at least ${MIN_PSEUDONYMISATION_KEY_BYTES} bytes (got ${key.length})`);
  }
  return key;
}
