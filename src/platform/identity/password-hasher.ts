import * as argon2 from 'argon2';

// OWASP's argon2id recommendation (m=19 MiB, t=2, p=1) is the floor; these are a little above it.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 3, parallelism: 1 } as const;

/** A hash of a random password, verified when the account does not exist so timing does not reveal that. */
let decoy: Promise<string> | undefined;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    decoy ??= argon2.hash(`decoy-${Math.random()}`, OPTIONS);
    await argon2.verify(await decoy, password);
    return false;
  }
  return argon2.verify(hash, password);
}
