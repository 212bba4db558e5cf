export { ASSET_TYPES } from './asset-types.ts';
export { AssetsRepository } from './assets.repository.ts';
export { assetsRoutes } from './assets.routes.ts';
export { AssetsService, type Asset } from './assets.service.ts';
export { assetsModule } from './assets.module.ts';
