import { createHash } from 'node:crypto';
import { localName } from './provenance-namespace';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 9562 (RFC 4122) namespace for names that are URLs. */
export const URL_NAMESPACE_UUID = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * RFC 9562 §5.8 UUIDv8, name-based with SHA-256 as in its Appendix B.2: the first 128 bits of
 * SHA-256(namespace bytes ‖ UTF-8 name), with the version and variant bits set. (v5 is the same
 * construction with SHA-1.)
 */
export function nameBasedUuidV8(namespaceUuid: string, name: string): string {
  if (!UUID.test(namespaceUuid)) throw new Error(`not a UUID: ${namespaceUuid}`);
  const bytes = createHash('sha256')
    .update(Buffer.from(namespaceUuid.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The OpenLineage runId of an activity: its own id when that is a UUID already, else a UUIDv8
 * derived from the activity's URI in this namespace, so re-exporting yields the same runId and
 * two installations (two namespaces) never share one.
 */
export function activityRunId(activityId: string, namespace: string): string {
  if (UUID.test(activityId)) return activityId.toLowerCase();
  return nameBasedUuidV8(URL_NAMESPACE_UUID, `${namespace}activity/${localName(activityId)}`);
}
