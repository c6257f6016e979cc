import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Action, SubjectName } from './ability.factory';
import type { AuthContext } from './auth-context';

export const ACCESS_METADATA = 'assay:access';

/**
 * What a route requires. Every route must declare one; the guard refuses undeclared routes,
 * and the role × endpoint test reads these declarations to build its matrix.
 */
export type AccessRequirement =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'ability'; action: Action; subject: SubjectName };

/** No credential needed (health, docs, sign-in). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRequirement);

/** Any signed-in user, whatever their role. */
export const Authenticated = () =>
  SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies AccessRequirement);

/** The caller's ability must allow `action` on some `subject` (services check the concrete one). */
export const Allow = (action: Action, subject: SubjectName) =>
  SetMetadata(ACCESS_METADATA, { kind: 'ability', action, subject } satisfies AccessRequirement);

/** Injects the AuthContext of the request. */
export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext => {
  const request = context.switchToHttp().getRequest<Request & { auth?: AuthContext }>();
  if (!request.auth) throw new Error('Auth() used on a route without authentication');
  return request.auth;
});
