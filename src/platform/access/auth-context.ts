import type { AppAbility } from './ability.factory';
import type { Role } from './role';

/** The authenticated caller of a request, attached by the AuthGuard. */
export interface AuthContext {
  user: { id: string; email: string; displayName: string; role: Role };
  ability: AppAbility;
  credential: { type: 'session' | 'api_token'; id: string };
}
