export { requireUser, principalOf, bearerToken } from './auth.ts';
export { UserAccounts, type UserPatch } from './accounts.ts';
export { AdminRecovery, type AdminListing } from './admin-recovery.ts';
export { IdentityRepository } from './identity.repository.ts';
export { identityRoutes } from './identity.routes.ts';
export { judgePassword, userInputsOf, MIN_PASSWORD_LENGTH } from './password-strength.ts';
export {
  districtOf,
  IdentityService,
  KECAMATAN_LAYER,
  requireRole,
  type DistrictShape,
  type Principal,
} from './identity.service.ts';
export { POSITION_NAMES, POSITIONS, ROLES, type District, type Opd, type Position, type PublicUser, type Region, type Role } from './identity.contract.ts';
