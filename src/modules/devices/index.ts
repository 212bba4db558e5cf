export { DeviceStatusTracker } from './device-status.ts';
export { DevicesRepository } from './devices.repository.ts';
export { devicesRoutes } from './devices.routes.ts';
export { DevicesService, type AttributeScope, type Device, type DeviceRef } from './devices.service.ts';
export { GATEWAY_LIMITS, GatewayDevices, checkSubDeviceName, type GatewayLimits, type SubDeviceAddress } from './gateway-devices.ts';
export { AttributeUpdatesPoll, POLL_LIMITS, type AttributeNotice, type PollLimits } from './attribute-updates-poll.ts';
export { GatewayRpc } from './gateway-rpc.ts';
