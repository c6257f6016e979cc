import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../database/transaction';
import { AssayException } from '../errors/assay.exception';
import { EvidenceService } from '../evidence/evidence.service';
import { userActor, type Actor } from '../ledger/actor';
import { paginate, type Page, type PageQueryDto } from '../http/pagination';
import { accessibleWhere, asSubject } from '../access/ability.factory';
import type { AuthContext } from '../access/auth-context';
import { emailDigest } from './identity.evidence-kinds';
import { hashPassword } from './password-hasher';
import type { Role } from '../access/role';
import type { CreateUserDto, UpdateUserDto, UserResponseDto } from './user.dto';
import { User } from './user.entity';

export const toUserResponse = (user: User): UserResponseDto => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
  status: user.status,
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  password?: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evidence: EvidenceService,
  ) {}

  async list(auth: AuthContext, page: PageQueryDto): Promise<Page<UserResponseDto>> {
    const where = accessibleWhere(auth.ability, 'read', 'User');
    if (where.length === 0) throw new AssayException('ACCESS_DENIED', 'You may not list users');
    const query = this.db.getRepository(User).createQueryBuilder('user').where(where);
    const result = await paginate(query, page);
    return { items: result.items.map(toUserResponse), nextCursor: result.nextCursor };
  }

  async get(auth: AuthContext, id: string): Promise<UserResponseDto> {
    const user = await this.findOrFail(this.db.manager, id);
    this.assert(auth, 'read', user);
    return toUserResponse(user);
  }

  async create(auth: AuthContext, dto: CreateUserDto): Promise<UserResponseDto> {
    if (!auth.ability.can('create', 'User')) throw new AssayException('ACCESS_DENIED', 'You may not create users');
    return toUserResponse(await this.createUser(dto, userActor(auth.user.id), 'api'));
  }

  /**
   * Creates a user and records `user.created` in the same transaction (the caller's, if given).
   * Used by the API, the CLI and the first-start bootstrap.
   */
  async createUser(input: NewUser, actor: Actor, via: 'api' | 'cli' | 'bootstrap', tx?: EntityManager): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return inTransaction(this.db, tx, async (manager) => {
      const repository = manager.getRepository(User);
      if (await repository.existsBy({ email })) {
        throw new AssayException('USER_EMAIL_TAKEN', `A user with e-mail ${email} exists`);
      }
      const { identifiers } = await repository.insert({
        email,
        displayName: input.displayName,
        role: input.role,
        status: 'active',
        passwordHash,
      });
      const user = await repository.findOneByOrFail({ id: identifiers[0]?.id as string });
      await this.evidence.record(manager, {
        kind: 'user.created',
        subject: { type: 'user', id: user.id },
        body: { userId: user.id, emailDigest: emailDigest(email), role: user.role, via },
        actor,
      });
      return user;
    });
  }

  async update(auth: AuthContext, id: string, dto: UpdateUserDto): Promise<UserResponseDto> {
    // Hash before the transaction: argon2 is deliberately slow and must not hold a connection.
    const passwordHash = dto.password !== undefined ? await hashPassword(dto.password) : undefined;
    return this.db.transaction(async (manager) => {
      const user = await this.findOrFail(manager, id, true);
      this.assert(auth, 'update', user);
      const fields = Object.keys(dto).filter((key) => dto[key as keyof UpdateUserDto] !== undefined);
      const forbidden = fields.filter((field) => !auth.ability.can('update', asSubject('User', user), field));
      if (forbidden.length > 0) {
        throw new AssayException('FORBIDDEN_FIELD', `You may not change ${forbidden.join(', ')} of this user`, {
          fields: forbidden,
        });
      }
      const demotesAdmin =
        user.role === 'admin' && user.status === 'active' && ((dto.role && dto.role !== 'admin') || dto.status === 'disabled');
      if (demotesAdmin) await this.refuseLastAdmin(manager, user.id);

      const changes: Partial<User> = {};
      if (dto.displayName !== undefined) changes.displayName = dto.displayName;
      if (dto.role !== undefined) changes.role = dto.role;
      if (dto.status !== undefined) changes.status = dto.status;
      if (passwordHash !== undefined) changes.passwordHash = passwordHash;
      if (Object.keys(changes).length > 0) await manager.getRepository(User).update({ id }, changes);

      const actor = userActor(auth.user.id);
      const subject = { type: 'user', id };
      if (dto.role !== undefined && dto.role !== user.role) {
        await this.evidence.record(manager, { kind: 'user.role_changed', subject, actor, body: { userId: id, from: user.role, to: dto.role } });
      }
      if (dto.status !== undefined && dto.status !== user.status) {
        await this.evidence.record(manager, { kind: 'user.status_changed', subject, actor, body: { userId: id, from: user.status, to: dto.status } });
      }
      if (passwordHash !== undefined) {
        await this.evidence.record(manager, { kind: 'user.password_changed', subject, actor, body: { userId: id } });
      }
      return toUserResponse(await this.findOrFail(manager, id));
    });
  }

  private async refuseLastAdmin(manager: EntityManager, userId: string): Promise<void> {
    // Lock the active admins so that two concurrent demotions cannot both pass the check.
    const admins = await manager
      .getRepository(User)
      .createQueryBuilder('user')
      .setLock('pessimistic_write')
      .where({ role: 'admin', status: 'active' })
      .getMany();
    if (admins.every((admin) => admin.id === userId)) {
      throw new AssayException('USER_LAST_ADMIN', 'This would leave Assay without an active administrator');
    }
  }

  private async findOrFail(manager: EntityManager, id: string, lock = false): Promise<User> {
    const query = manager.getRepository(User).createQueryBuilder('user').where({ id });
    if (lock) query.setLock('pessimistic_write');
    const user = await query.getOne();
    if (!user) throw new AssayException('USER_NOT_FOUND', `No user ${id}`);
    return user;
  }

  private assert(auth: AuthContext, action: 'read' | 'update', user: User): void {
    if (!auth.ability.can(action, asSubject('User', user))) {
      throw new AssayException('ACCESS_DENIED', `You may not ${action} this user`);
    }
  }
}
