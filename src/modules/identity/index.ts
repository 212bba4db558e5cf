export { requireUser, principalOf, bearerToken } from './auth.js';
export { IdentityRepository } from './identity.repository.js';
export { identityRoutes } from './identity.routes.js';
export {
  districtOf,
  IdentityService,
  KECAMATAN_LAYER,
  requireRole,
  ROLES,
  type DistrictShape,
  type Principal,
  type PublicUser,
  type Region,
  type Role,
  type Opd,
} from './identity.service.js';
