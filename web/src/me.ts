/**
 * The signed-in user as every screen needs them to show only what they may do:
 * read once per session (GET /auth/me). The rules mirror the server's checks
 * (requireRole and the OPD checks of each service); the server still decides.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../../src/modules/identity/identity.constants.ts';
import { api, session } from './api.js';

export interface Me {
  id: string;
  role: Role;
  /** the OPD an operator acts for */
  opdId: string | null;
}

let cached: { token: string | null; me: Promise<Me | null> } | null = null;

/** The user, read once per session (null when it cannot be read). */
export function currentMe(): Promise<Me | null> {
  // Without a session there is nobody to ask about (a 401 would sign out whoever signs in meanwhile).
  if (!session.token) return Promise.resolve(null);
  if (!cached || cached.token !== session.token) cached = { token: session.token, me: api<Me>('GET', '/auth/me').catch(() => null) };
  return cached.me;
}

/** The user (null until read, or when it cannot be read). */
export function useMe(): Me | null {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    let live = true;
    void currentMe().then((m) => live && setMe(m));
    return () => void (live = false);
  }, []);
  return me;
}

/** May create things of an OPD's (devices, assets, rules): admins and operators; viewers read only. */
export const mayCreate = (me: Me | null): boolean => me?.role === 'admin' || me?.role === 'operator';

/** May change or delete what belongs to an OPD (a device, an asset, an alarm's acknowledgement): admins, and operators of that OPD. */
export const mayChange = (me: Me | null, opdId: string | null | undefined): boolean => me?.role === 'admin' || (me?.role === 'operator' && (opdId ?? null) === me.opdId);

/** May keep the region's settings (OPDs, users, categories, keys): admins. */
export const isAdmin = (me: Me | null): boolean => me?.role === 'admin';
