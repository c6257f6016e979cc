/** Where Assay's own terms and identifiers live, in both exports. Deployments set their own base. */
export const DEFAULT_NAMESPACE = 'https://assay.example/ns#';
export const PROV_NAMESPACE = 'http://www.w3.org/ns/prov#';
export const XSD_NAMESPACE = 'http://www.w3.org/2001/XMLSchema#';

export interface ProvenanceOptions {
  /** Base URI of the `assay:` prefix; must end with `#` or `/`. Default DEFAULT_NAMESPACE. */
  namespace?: string;
}

/** The checked namespace base: an absolute http(s) URI ending in `#` or `/`, so `assay:x` expands cleanly. */
export function namespaceBase(options: ProvenanceOptions | undefined): string {
  const base = options?.namespace ?? DEFAULT_NAMESPACE;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`provenance namespace must be an absolute URI (got ${JSON.stringify(base)})`);
  }
  if (!/^https?:$/.test(url.protocol) || !/[#/]$/.test(base)) {
    throw new Error(`provenance namespace must be an http(s) URI ending in # or / (got ${JSON.stringify(base)})`);
  }
  return base;
}

/**
 * An id as a QName local part: letters, digits, `_`, `-` and `~` as they are, everything else
 * percent-encoded (UTF-8). The result is a valid PROV-N local name and URI text whatever the id
 * holds, and `/` inside an id cannot be confused with the `/` that separates parts.
 */
export function localName(id: string): string {
  return Array.from(new TextEncoder().encode(id), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9_~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}
