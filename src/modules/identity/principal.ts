import { AppError } from '../../core/errors.ts';
import type { Role } from './identity.contract.ts';

/** Who is calling: what every service uses to scope and authorise. */
export interface Principal {
  userId: string;
  regionId: string;
  role: Role;
  /** the OPD an operator acts for; null for admins and viewers without one */
  opdId: string | null;
  email: string;
}

export function requireRole(p: Principal, ...roles: Role[]): void {
  if (!roles.includes(p.role)) throw new AppError('FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
}
