import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AssayConfig } from '../../platform/config/config.schema';

/**
 * The HMAC key for pseudonymisation, managed like the ledger key: from ASSAY_PSEUDONYMISATION_KEY,
 * else a 0600 file under the data dir, generated on first use. Losing it makes pseudonyms
 * unlinkable to new data; leaking it lets anyone test guesses, so it is never logged or exported.
 */
export function loadPseudonymisationKey(config: Pick<AssayConfig, 'ASSAY_PSEUDONYMISATION_KEY' | 'ASSAY_DATA_DIR'>): Buffer {
  if (config.ASSAY_PSEUDONYMISATION_KEY) return Buffer.from(config.ASSAY_PSEUDONYMISATION_KEY, 'hex');
  const file = join(resolve(config.ASSAY_DATA_DIR), 'keys', 'pseudonymisation.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}
