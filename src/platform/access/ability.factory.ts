import {
  AbilityBuilder,
  createMongoAbility,
  subject as tagSubject,
  type ForcedSubject,
  type MongoQuery,
  type PureAbility,
} from '@casl/ability';
import { rulesToQuery } from '@casl/ability/extra';
import type { Role } from './role';

export const ACTIONS = ['read', 'create', 'update', 'delete', 'approve', 'waive', 'demote', 'export', 'read_raw', 'predict'] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  'User',
  'ApiToken',
  'Config',
  'Ledger',
  'Evidence',
  'Dataset',
  'TrainingRun',
  'Model',
  'Promotion',
  'Waiver',
  'Policy',
] as const;
export type SubjectName = (typeof SUBJECTS)[number];

type TaggedSubject = ForcedSubject<SubjectName> & Record<string, unknown>;
export type AppAbility = PureAbility<[Action, SubjectName | TaggedSubject], MongoQuery>;

type Conditions = Record<string, string>;
type RuleFn = (
  action: Action | Action[],
  subject: SubjectName | SubjectName[],
  fieldsOrConditions?: string[] | Conditions,
  conditions?: Conditions,
) => void;

/** Who is asking: the part of a user the ability rules look at. */
export interface Principal {
  id: string;
  role: Role;
}

/** Tags a plain row with its subject type so that conditional rules can be checked against it. */
export const asSubject = <T extends object>(type: SubjectName, row: T): T & TaggedSubject =>
  tagSubject(type, { ...row }) as T & TaggedSubject;

/** Fields a user may change on their own account; everything else on a user is the admin's. */
export const SELF_EDITABLE_USER_FIELDS = ['displayName', 'password'];

/**
 * The role matrix of DESIGN.md, and the only place it is written down. Route guards ask it
 * about subject types; services ask it again about the concrete resource (ownership,
 * "not your own request").
 */
export class AbilityFactory {
  static forPrincipal(principal: Principal): AppAbility {
    const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
    // CASL infers condition types from class subjects; ours are names, so type the rules here.
    const can = builder.can as unknown as RuleFn;
    const cannot = builder.cannot as unknown as RuleFn;
    const self = principal.id;

    // Everyone: their own account and their own API tokens.
    can('read', 'User', { id: self });
    can('update', 'User', SELF_EDITABLE_USER_FIELDS, { id: self });
    can('create', 'ApiToken');
    can(['read', 'delete'], 'ApiToken', { userId: self });

    switch (principal.role) {
      case 'engineer':
        can('create', ['Dataset', 'TrainingRun', 'Model']);
        can(['read', 'update'], ['Dataset', 'TrainingRun', 'Model'], { ownerId: self });
        can('read_raw', 'Dataset', { ownerId: self });
        can('create', 'Promotion', { requestedBy: self });
        can('read', 'Promotion', { requestedBy: self });
        can('read', ['Evidence', 'Ledger'], { actorId: self });
        can('export', 'Model', { ownerId: self });
        can('predict', 'Model', { ownerId: self });
        can('read', ['Policy', 'Waiver']);
        break;
      case 'compliance_officer':
        can('read', ['Dataset', 'TrainingRun', 'Model', 'Promotion', 'Evidence', 'Ledger', 'Policy', 'Waiver']);
        can(['approve', 'demote'], ['Promotion', 'Model']);
        cannot('approve', 'Promotion', { requestedBy: self });
        can(['create', 'delete'], 'Waiver');
        can('waive', 'Promotion');
        can('export', 'Model');
        break;
      case 'regulator':
        can('read', ['Dataset', 'TrainingRun', 'Model', 'Promotion', 'Evidence', 'Ledger', 'Policy', 'Waiver']);
        can('export', 'Model');
        break;
      case 'admin':
        can(['read', 'create', 'update'], 'User');
        can(['read', 'delete'], 'ApiToken');
        can('read', 'Config');
        can('read', ['Dataset', 'TrainingRun', 'Model', 'Promotion', 'Evidence', 'Ledger', 'Policy', 'Waiver']);
        can('export', 'Model');
        can('predict', 'Model');
        break;
      default: {
        const unknownRole: never = principal.role;
        throw new Error(`Unknown role ${String(unknownRole)}`);
      }
    }
    return builder.build();
  }
}

/**
 * For subjects the matrix scopes by who caused them (ledger entries, evidence): `null` when the
 * caller may read them all, else the one actor id whose records they may read.
 */
export function accessibleActorId(ability: AppAbility, action: Action, type: SubjectName): string | null {
  const where = accessibleWhere(ability, action, type);
  if (where.length === 0) throw new Error(`No ${action} access to ${type}: check with the guard first`);
  if (where.some((branch) => Object.keys(branch).length === 0)) return null;
  const actorId = where[0]?.actorId;
  if (where.length !== 1 || typeof actorId !== 'string') throw new Error(`Unsupported ${type} access rule`);
  return actorId;
}

/**
 * Turns the rules for (action, type) into a TypeORM `where` list (OR of equality maps):
 * `[]` means nothing is visible, `[{}]` everything. Only equality conditions are supported,
 * which is all the matrix uses; anything else is refused rather than half-applied.
 */
export function accessibleWhere(
  ability: AppAbility,
  action: Action,
  type: SubjectName,
): Record<string, unknown>[] {
  const query = rulesToQuery(ability, action, type, (rule) => {
    if (rule.inverted) throw new Error(`Inverted rules cannot be turned into a query (${action} ${type})`);
    return rule.conditions ?? {};
  });
  if (query === null) return [];
  const branches = query.$or ?? [];
  if (Object.keys(query).some((key) => key !== '$or')) throw new Error('Unsupported ability query');
  if (branches.length === 0 || branches.some((branch) => Object.keys(branch).length === 0)) return [{}];
  for (const branch of branches) {
    for (const value of Object.values(branch)) {
      if (value !== null && typeof value === 'object') throw new Error('Only equality conditions are supported');
    }
  }
  return branches;
}
