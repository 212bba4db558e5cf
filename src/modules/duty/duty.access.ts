import { AppError } from '../../core/errors.ts';
import type { Principal } from '../identity/index.ts';

/**
 * Rosters and policies are read by everybody signed in (a command center is
 * shared); an admin changes any OPD's, an operator only their own OPD's, a
 * viewer none.
 */
export function assertCanWrite(p: Principal, opdId: string): void {
  if (p.role === 'admin') return;
  if (p.role === 'viewer') throw new AppError('FORBIDDEN', 'a viewer cannot change duty rosters or escalation policies');
  if (p.opdId !== opdId) throw new AppError('FORBIDDEN', "an operator changes the duty roster and escalation policies of their own OPD only");
}
