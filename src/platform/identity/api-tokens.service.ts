import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { ASSAY_CONFIG } from '../config/config.module';
import type { AssayConfig } from '../config/config.schema';
import { inTransaction } from '../database/transaction';
import { AssayException } from '../errors/assay.exception';
import { EvidenceService } from '../evidence/evidence.service';
import { userActor, type Actor } from '../ledger/actor';
import { paginate, type Page, type PageQueryDto } from '../http/pagination';
import { accessibleWhere, asSubject } from '../access/ability.factory';
import { DEFAULT_TOKEN_TTL_DAYS, type ApiTokenResponseDto, type CreatedApiTokenDto } from './api-token.dto';
import { ApiToken } from './api-token.entity';
import type { AuthContext } from '../access/auth-context';
import { displayPrefix, generateSecret, hashSecret } from './token-secret';

const toResponse = (token: ApiToken): ApiTokenResponseDto => ({
  id: token.id,
  userId: token.userId,
  name: token.name,
  displayPrefix: token.displayPrefix,
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt.toISOString(),
  revokedAt: token.revokedAt?.toISOString() ?? null,
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
});

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ASSAY_CONFIG) private readonly config: AssayConfig,
    private readonly evidence: EvidenceService,
  ) {}

  async list(auth: AuthContext, page: PageQueryDto): Promise<Page<ApiTokenResponseDto>> {
    const where = accessibleWhere(auth.ability, 'read', 'ApiToken');
    if (where.length === 0) throw new AssayException('ACCESS_DENIED', 'You may not list API tokens');
    const result = await paginate(this.db.getRepository(ApiToken).createQueryBuilder('token').where(where), page);
    return { items: result.items.map(toResponse), nextCursor: result.nextCursor };
  }

  /** Issues a token for the caller; the secret is in the response and nowhere else. */
  async create(auth: AuthContext, name: string, expiresInDays?: number): Promise<CreatedApiTokenDto> {
    if (!auth.ability.can('create', 'ApiToken')) throw new AssayException('ACCESS_DENIED', 'You may not create tokens');
    return this.issue(auth.user.id, name, userActor(auth.user.id), expiresInDays);
  }

  /** Issues a token and records `token.issued` (never the secret); also used by the CLI. */
  async issue(
    userId: string,
    name: string,
    actor: Actor,
    expiresInDays = DEFAULT_TOKEN_TTL_DAYS,
    tx?: EntityManager,
  ): Promise<CreatedApiTokenDto> {
    const max = this.config.ASSAY_TOKEN_MAX_TTL_DAYS;
    if (expiresInDays > max) {
      throw new AssayException('TOKEN_TTL_TOO_LONG', `Tokens may live at most ${max} days`, { maxDays: max });
    }
    const secret = generateSecret('pat');
    return inTransaction(this.db, tx, async (manager) => {
      const repository = manager.getRepository(ApiToken);
      const { identifiers } = await repository.insert({
        userId,
        name,
        displayPrefix: displayPrefix(secret),
        tokenHash: hashSecret(secret),
        expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
      });
      const token = await repository.findOneByOrFail({ id: identifiers[0]?.id as string });
      await this.evidence.record(manager, {
        kind: 'token.issued',
        subject: { type: 'user', id: userId },
        actor,
        body: {
          tokenId: token.id,
          userId,
          name: token.name,
          displayPrefix: token.displayPrefix,
          expiresAt: token.expiresAt.toISOString(),
        },
      });
      return { ...toResponse(token), token: secret };
    });
  }

  async revoke(auth: AuthContext, id: string): Promise<ApiTokenResponseDto> {
    return this.db.transaction(async (manager) => {
      const repository = manager.getRepository(ApiToken);
      const token = await repository.createQueryBuilder('token').where({ id }).setLock('pessimistic_write').getOne();
      if (!token) throw new AssayException('TOKEN_NOT_FOUND', `No API token ${id}`);
      if (!auth.ability.can('delete', asSubject('ApiToken', token))) {
        throw new AssayException('ACCESS_DENIED', 'You may not revoke this token');
      }
      return toResponse(await this.revokeToken(manager, token, userActor(auth.user.id)));
    });
  }

  /** Revocation is idempotent: revoking a revoked token keeps its first revocation (and evidence). */
  async revokeToken(tx: EntityManager, token: ApiToken, actor: Actor): Promise<ApiToken> {
    if (token.revokedAt) return token;
    const { affected } = await tx.getRepository(ApiToken).update({ id: token.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (affected) {
      await this.evidence.record(tx, {
        kind: 'token.revoked',
        subject: { type: 'user', id: token.userId },
        actor,
        body: { tokenId: token.id, userId: token.userId },
      });
    }
    return tx.getRepository(ApiToken).findOneByOrFail({ id: token.id });
  }
}
