import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AssayConfig } from '../../../platform/config/config.schema';
import { keyHint, signatureAlgorithmOf } from '../model-signing';

export interface ModelSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** OMS key hint (fingerprint of the public key), as written into signature bundles. */
  hint: string;
  algorithm: string;
  publicKeyPem: string;
}

/**
 * The key that signs model manifests: ASSAY_MODEL_SIGNING_KEY_FILE, else a P-256 key (the curve
 * every OMS verifier supports) generated on first use as a 0600 file under the data directory.
 * Processes that sign (API and workers) must share the file.
 */
export function loadModelSigningKey(config: Pick<AssayConfig, 'ASSAY_MODEL_SIGNING_KEY_FILE' | 'ASSAY_DATA_DIR'>): ModelSigningKey {
  const configured = config.ASSAY_MODEL_SIGNING_KEY_FILE;
  const file = configured ? resolve(configured) : join(resolve(config.ASSAY_DATA_DIR), 'keys', 'model-signing-p256.pem');
  let pem: string;
  if (existsSync(file) || configured) pem = readFileSync(file, 'utf8');
  else {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      pem = readFileSync(file, 'utf8');
    }
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    hint: keyHint(publicKey),
    algorithm: signatureAlgorithmOf(privateKey).algorithm,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
