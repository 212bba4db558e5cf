export { ASSET_TYPES } from './asset-types.js';
export { AssetsRepository } from './assets.repository.js';
export { assetsRoutes } from './assets.routes.js';
export { AssetsService, type Asset } from './assets.service.js';
