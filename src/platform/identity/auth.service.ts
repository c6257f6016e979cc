import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';
import { AssayException } from '../errors/assay.exception';
import { EvidenceService } from '../evidence/evidence.service';
import { systemActor, userActor } from '../ledger/actor';
import { emailDigest } from './identity.evidence-kinds';
import { AbilityFactory } from '../access/ability.factory';
import { ApiToken } from './api-token.entity';
import type { AuthContext } from '../access/auth-context';
import { verifyPassword } from './password-hasher';
import { Session } from './session.entity';
import { SignInAttempt } from './sign-in-attempt.entity';
import { generateSecret, hashSecret, parseSecret } from './token-secret';
import { User } from './user.entity';

export interface SignInResult {
  token: string;
  expiresAt: Date;
  user: Pick<User, 'id' | 'email' | 'displayName' | 'role'>;
}

/** "Last used" is kept to the minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

const invalidToken = () => new AssayException('AUTH_INVALID_TOKEN', 'The token is invalid, expired or revoked');

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
    private readonly evidence: EvidenceService,
  ) {}

  /** Resolves a bearer secret to its caller; any failure is the same 401. */
  async authenticate(secret: string): Promise<AuthContext> {
    const kind = parseSecret(secret);
    if (!kind) throw invalidToken();
    const tokenHash = hashSecret(secret);
    const now = new Date();
    const credential =
      kind === 'ses'
        ? await this.db.getRepository(Session).findOne({
            where: { tokenHash, endedAt: IsNull(), expiresAt: MoreThan(now) },
          })
        : await this.db.getRepository(ApiToken).findOne({
            where: { tokenHash, revokedAt: IsNull(), expiresAt: MoreThan(now) },
          });
    if (!credential) throw invalidToken();
    const user = await this.db.getRepository(User).findOneBy({ id: credential.userId });
    if (!user || user.status !== 'active') throw invalidToken();
    const lastUsed = kind === 'pat' ? (credential as ApiToken).lastUsedAt : null;
    if (kind === 'pat' && (!lastUsed || now.getTime() - lastUsed.getTime() > LAST_USED_RESOLUTION_MS)) {
      // Best effort, off the request's critical path, and at most once a minute per token: a write
      // on every authenticated request would put the hot path on the database's write side.
      void this.db
        .getRepository(ApiToken)
        .update({ id: credential.id }, { lastUsedAt: now })
        .catch(() => undefined);
    }
    return {
      user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role },
      ability: AbilityFactory.forPrincipal(user),
      credential: { type: kind === 'ses' ? 'session' : 'api_token', id: credential.id },
    };
  }

  async signIn(emailInput: string, password: string, clientAddress: string): Promise<SignInResult> {
    const email = emailInput.trim().toLowerCase();
    await this.refuseWhenLockedOut(email, clientAddress);
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
    const valid = await verifyPassword(user?.passwordHash, password);
    if (!user || !valid || user.status !== 'active') {
      const reason = !user ? 'unknown_account' : !valid ? 'wrong_password' : 'account_disabled';
      await this.db.transaction(async (tx) => {
        await tx.getRepository(SignInAttempt).insert({ email, clientAddress });
        await this.evidence.record(tx, {
          kind: 'signin.failed',
          subject: user ? { type: 'user', id: user.id } : { type: 'account', id: emailDigest(email) },
          actor: user ? userActor(user.id) : systemActor('anonymous'),
          body: { emailDigest: emailDigest(email), clientAddress: clientAddress.slice(0, 100), reason },
        });
      });
      throw new AssayException('AUTH_INVALID_CREDENTIALS', 'E-mail or password is wrong');
    }
    await this.db.getRepository(SignInAttempt).delete({ email });
    const token = generateSecret('ses');
    const expiresAt = new Date(Date.now() + this.config.ASSAY_SESSION_TTL_MINUTES * 60_000);
    await this.db.getRepository(Session).insert({ userId: user.id, tokenHash: hashSecret(token), expiresAt });
    return { token, expiresAt, user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role } };
  }

  async signOut(auth: AuthContext): Promise<void> {
    if (auth.credential.type !== 'session') return; // API tokens are revoked through /tokens
    await this.db.getRepository(Session).update({ id: auth.credential.id, endedAt: IsNull() }, { endedAt: new Date() });
  }

  private async refuseWhenLockedOut(email: string, clientAddress: string): Promise<void> {
    const since = new Date(Date.now() - this.config.ASSAY_SIGNIN_WINDOW_SECONDS * 1000);
    const failures = this.db.getRepository(SignInAttempt);
    const [byAccount, byAddress] = await Promise.all([
      failures.countBy({ email, attemptedAt: MoreThan(since) }),
      failures.countBy({ clientAddress, attemptedAt: MoreThan(since) }),
    ]);
    // An address may try a few accounts (shared offices, NAT) before it is stopped as well.
    const max = this.config.ASSAY_SIGNIN_MAX_FAILURES;
    if (byAccount >= max || byAddress >= max * 4) {
      throw new AssayException('AUTH_TOO_MANY_FAILURES', 'Too many failed sign-ins; try again later', {
        retryAfterSeconds: this.config.ASSAY_SIGNIN_WINDOW_SECONDS,
      });
    }
  }
}
