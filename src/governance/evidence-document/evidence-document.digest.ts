/**
 * The digest a policy decision records for the evidence it read: SHA-256 over the RFC 8785 (JCS)
 * canonical JSON of the document, written `sha256:<hex>` like every evidence digest.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value is not JSON');
  return text;
}

export function jcsDigest(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

export const evidenceDocumentDigest: (document: unknown) => string = jcsDigest;
