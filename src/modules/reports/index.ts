export type { ReportsBackend } from './backend.js';
export { ApiKeysService, type ApiKey, type KeyHolder } from './keys.service.js';
export { open311Routes } from './open311.routes.js';
export { PhotosService, sniffImage, photoUrl, PHOTO_MAX_SIDE, type Photo } from './photos.service.js';
export { publicRoutes } from './public.routes.js';
export { RegionBounds, REGION_EXTENTS } from './region-bounds.js';
export { ReportsRepository } from './reports.repository.js';
export { ReportsService, MAX_RESULTS } from './reports.service.js';
