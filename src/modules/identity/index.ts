export { requireUser, principalOf, bearerToken } from './auth.ts';
export { IdentityRepository } from './identity.repository.ts';
export { identityRoutes } from './identity.routes.ts';
export {
  districtOf,
  IdentityService,
  KECAMATAN_LAYER,
  POSITION_NAMES,
  POSITIONS,
  requireRole,
  ROLES,
  type DistrictShape,
  type Position,
  type Principal,
  type PublicUser,
  type Region,
  type Role,
  type Opd,
} from './identity.service.ts';
