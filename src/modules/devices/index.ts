export { DeviceStatusTracker } from './device-status.ts';
export { DevicesRepository } from './devices.repository.ts';
export { devicesRoutes } from './devices.routes.ts';
export { DevicesService, type AttributeScope, type Device, type DeviceRef } from './devices.service.ts';
