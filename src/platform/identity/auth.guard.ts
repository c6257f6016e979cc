import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AssayException } from '../errors/assay.exception';
import { ACCESS_METADATA, type AccessRequirement } from '../access/access.decorators';
import type { AuthContext } from '../access/auth-context';
import { AuthService } from './auth.service';

/** Global guard: authenticates the bearer token, then checks the route's declared requirement. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AccessRequirement | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    // Fail closed: a route that forgot to declare its access is unreachable.
    if (!requirement) throw new AssayException('ACCESS_DENIED', 'This route declares no access rule');
    if (requirement.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<Request & { auth?: AuthContext }>();
    const header = request.headers.authorization;
    if (!header) throw new AssayException('AUTH_REQUIRED', 'Authorization: Bearer <token> is required');
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    const secret = match?.[1];
    if (!secret) throw new AssayException('AUTH_INVALID_TOKEN', 'Authorization header must be "Bearer <token>"');
    const auth = await this.auth.authenticate(secret);
    request.auth = auth;

    if (requirement.kind === 'ability' && !auth.ability.can(requirement.action, requirement.subject)) {
      throw new AssayException('ACCESS_DENIED', `Role ${auth.user.role} may not ${requirement.action} ${requirement.subject}`);
    }
    return true;
  }
}
