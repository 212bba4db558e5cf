export { DeviceStatusTracker } from './device-status.js';
export { DevicesRepository } from './devices.repository.js';
export { devicesRoutes } from './devices.routes.js';
export { DevicesService, type AttributeScope, type Device, type DeviceRef } from './devices.service.js';
