export { DeviceStatusTracker } from './device-status.ts';
export { DevicesRepository } from './devices.repository.ts';
export { devicesRoutes } from './devices.routes.ts';
export { DevicesService, type AttributeScope, type Device, type DeviceRef } from './devices.service.ts';
export { rangeFlag, type DeviceProfile, type ProfileCommand, type ProfileKey, type RangeFlag } from './profiles.contract.ts';
export { ProfilesRepository } from './profiles.repository.ts';
export { profilesRoutes, provisionRoutes } from './profiles.routes.ts';
export { ProfilesService } from './profiles.service.ts';
export { DEFAULT_PROVISION_LIMITS, ProvisionLimiter, ProvisioningService, type ProvisionLimits } from './provisioning.ts';
