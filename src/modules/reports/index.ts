export type { ReportsBackend } from './backend.ts';
export { ApiKeysService, type KeyHolder } from './keys.service.ts';
export { open311Routes } from './open311.routes.ts';
export { PhotosService, sniffImage, photoUrl, PHOTO_MAX_SIDE } from './photos.service.ts';
export type { ApiKey, Photo, PublicConfig } from './reports.contract.ts';
export { publicRoutes } from './public.routes.ts';
export { RegionBounds, REGION_EXTENTS } from './region-bounds.ts';
export { ReportsRepository } from './reports.repository.ts';
export { ReportsService, MAX_RESULTS } from './reports.service.ts';
