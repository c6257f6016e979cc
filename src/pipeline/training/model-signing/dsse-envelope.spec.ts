import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { decodeBase64Strict, keyHint, preAuthEncoding, signPae, signatureAlgorithmOf, verifyPae } from './dsse-envelope';
import { ModelSigningError } from './model-signing.error';

describe('preAuthEncoding (DSSE v1 PAE)', () => {
  it('matches the worked example of the DSSE protocol', () => {
    // secure-systems-lab/dsse protocol.md, "Test cases" (the spec is not in ../shared/reference;
    // the OMS vectors verifying over this PAE in oms-conformance.spec.ts are the independent check).
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString('latin1')).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, and copies the body verbatim', () => {
    expect(preAuthEncoding('é', Buffer.from('a b\n\u0000', 'utf8'))).toEqual(Buffer.from('DSSEv1 2 é 5 a b\n\u0000', 'utf8'));
    expect(preAuthEncoding('t', Buffer.alloc(0)).toString()).toBe('DSSEv1 1 t 0 ');
    expect(preAuthEncoding('application/vnd.in-toto+json', Buffer.from('{}')).toString()).toBe(
      'DSSEv1 28 application/vnd.in-toto+json 2 {}',
    );
  });
});

describe('signPae / verifyPae', () => {
  const body = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  it.each([
    ['Ed25519', () => generateKeyPairSync('ed25519'), 'ed25519'],
    ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ecdsa-p256-sha256'],
    ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'ecdsa-p384-sha384'],
    ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }), 'ecdsa-p521-sha512'],
  ])('%s: signs and verifies; another type, body or key fails', (_label, generate, algorithm) => {
    const { privateKey, publicKey } = generate();
    expect(signatureAlgorithmOf(publicKey).algorithm).toBe(algorithm);
    const sig = signPae('application/vnd.in-toto+json', body, privateKey);
    expect(verifyPae('application/vnd.in-toto+json', body, sig, publicKey)).toBe(true);
    expect(verifyPae('application/vnd.in-toto+jsoN', body, sig, publicKey)).toBe(false);
    expect(verifyPae('application/vnd.in-toto+json', Buffer.concat([body, Buffer.from(' ')]), sig, publicKey)).toBe(false);
    expect(verifyPae('application/vnd.in-toto+json', body, sig, generate().publicKey)).toBe(false);
    expect(verifyPae('application/vnd.in-toto+json', body, Buffer.from('junk'), publicKey)).toBe(false);
  });

  it('ECDSA signatures are ASN.1 DER, as in the OMS vectors', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(signPae('t', body, privateKey)[0]).toBe(0x30);
  });

  it('refuses RSA, secp256k1 and a public key for signing', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => signPae('t', body, rsa)).toThrow(ModelSigningError);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
    expect(() => signPae('t', body, k1)).toThrow(/secp256k1 is not supported/);
    expect(() => signPae('t', body, generateKeyPairSync('ed25519').publicKey)).toThrow(/private key/);
  });
});

describe('keyHint', () => {
  it('is the SHA-256 of the SPKI PEM, the same for the private and the public half', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(keyHint(privateKey)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyHint(privateKey)).toBe(keyHint(publicKey));
    // RFC 8032 §7.1 TEST 1: from the secret key, the hint is the SHA-256 of the PEM text built by
    // hand from the RFC's public key (SPKI prefix for Ed25519, RFC 8410 §4).
    const rfc8032 = createPrivateKey({
      key: Buffer.from('302e020100300506032b657004220420' + '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = Buffer.from('302a300506032b6570032100' + 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
    const pem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    expect(keyHint(rfc8032)).toBe(createHash('sha256').update(pem).digest('hex'));
  });
});

describe('decodeBase64Strict', () => {
  it('accepts standard and URL-safe, padded or not', () => {
    expect(decodeBase64Strict('aGk/Pz8+')).toEqual(Buffer.from('hi???>'));
    expect(decodeBase64Strict('aGk_Pz8-')).toEqual(Buffer.from('hi???>'));
    expect(decodeBase64Strict('aGk=')).toEqual(Buffer.from('hi'));
    expect(decodeBase64Strict('aGk')).toEqual(Buffer.from('hi'));
    expect(decodeBase64Strict('')).toEqual(Buffer.alloc(0));
  });

  it('rejects what Node would silently repair', () => {
    for (const bad of ['aGk=\n', 'a Gk=', 'aGk*', 'aGl=', 'aG=k', 'aGk==', 'a', 'aGk/_z8=', 'aGk===='])
      expect({ bad, decoded: decodeBase64Strict(bad) }).toEqual({ bad, decoded: undefined });
  });
});
