import { AppError } from '../../core/errors.ts';
/**
 * The MQTT side of the device API (ThingsBoard convention). Both adapters, the
 * embedded broker and the client of an external broker, hand what devices send
 * to a DeviceMessageHandler and acknowledge a QoS 1 message only after the
 * handler has resolved, that is after the data is durable.
 */
export interface DeviceIdentity {
  id: string;
}

export interface DeviceMessageHandler<D extends DeviceIdentity = DeviceIdentity> {
  /** The device behind an access token, or null for an unknown or revoked one. */
  authenticate(token: string): Promise<D | null>;
  telemetry(device: D, payload: Buffer): Promise<unknown>;
  attributes(device: D, payload: Buffer): Promise<void>;
  /** Answer to `v1/devices/me/attributes/request/$id`: `{"client":{…},"shared":{…}}`. */
  attributesRequest(device: D, payload: Buffer): Promise<unknown>;
  // ---- device provisioning (ThingsBoard) ----
  /**
   * The answer to a `/provision/request` of a client connected with the user
   * name `provision` (sent back on `/provision/response`); `address` is the
   * client's, for the rate limit. Absent: the broker refuses that user name.
   */
  provision?(payload: Buffer, address: string): Promise<unknown>;
  /** A message was refused (bad payload, unknown topic); for the log. */
  rejected(device: D | null, topic: string, error: unknown): void;
  // --- Gateways (ThingsBoard IoT Gateway API, v1/gateway/*): absent, the broker refuses those topics. ---
  gateway?: GatewayMessageHandler<D>;

  // --- Commands (RPC) -------------------------------------------------------
  /** The device's answer on `v1/devices/me/rpc/response/$id` to the platform's call $id; an unknown id is ignored (and logged) by the handler. */
  rpcResponse(device: D, requestId: number, payload: Buffer): Promise<void>;
  /** The device's own call on `v1/devices/me/rpc/request/$id`: the answer goes to `…/rpc/response/$id`. Never rejects. */
  rpcRequest(device: D, payload: Buffer): Promise<unknown>;
  /** The device acknowledged the platform's call $id (PUBACK). */
  rpcDelivered(device: D, requestId: number): void;
  /** The device can take calls now (it subscribed to its requests, or was heard from on an external broker). */
  rpcReady(device: D): void;
  // --- end of commands (RPC) ------------------------------------------------
}

// --- Gateways (ThingsBoard IoT Gateway API) -------------------------------
/**
 * What a gateway sends for the devices behind it. `gateway` is the
 * authenticated device; the handler refuses one not flagged as a gateway.
 */
export interface GatewayMessageHandler<D extends DeviceIdentity = DeviceIdentity> {
  /** `v1/gateway/connect` `{"device":"Name","type":"meter"}` */
  connect(gateway: D, payload: Buffer): Promise<void>;
  /** `v1/gateway/disconnect` `{"device":"Name"}` */
  disconnect(gateway: D, payload: Buffer): Promise<void>;
  /** `v1/gateway/telemetry` `{"Name":[{"ts":…,"values":{…}}],…}` */
  telemetry(gateway: D, payload: Buffer): Promise<unknown>;
  /** `v1/gateway/attributes` `{"Name":{…},…}` */
  attributes(gateway: D, payload: Buffer): Promise<void>;
  /** `v1/gateway/attributes/request`; the answer goes to `v1/gateway/attributes/response`. */
  attributesRequest(gateway: D, payload: Buffer): Promise<unknown>;
  /** The answer to a server-side RPC (`v1/gateway/rpc` `{"device":"Name","id":1,"data":{…}}`). */
  gatewayRpcResponse(gateway: D, deviceName: string, requestId: number, payload: unknown): Promise<void> | void;
  /** The gateway can take calls for its devices now (it subscribed to `v1/gateway/rpc`). */
  rpcReady(gateway: D): void;
}

/** A server-side RPC as a gateway receives it inside `{"device":…,"data":…}`. */
export interface GatewayRpcRequest {
  id: number;
  method: string;
  params: unknown;
}

export const GATEWAY_TOPIC = {
  connect: 'v1/gateway/connect',
  disconnect: 'v1/gateway/disconnect',
  telemetry: 'v1/gateway/telemetry',
  attributes: 'v1/gateway/attributes',
  attributesRequest: 'v1/gateway/attributes/request',
  attributesResponse: 'v1/gateway/attributes/response',
  rpc: 'v1/gateway/rpc',
} as const;

/** `{"device":"Name","id":1,"data":…}` from a gateway on `v1/gateway/rpc`; throws on anything else. */
export function parseGatewayRpcResponse(payload: Buffer): { device: string; id: number; data: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new AppError('GATEWAY_MESSAGE_INVALID', `the RPC answer is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('GATEWAY_MESSAGE_INVALID', 'an RPC answer is {"device":"<name>","id":<id>,"data":…}');
  const { device, id, data } = body as Record<string, unknown>;
  if (typeof device !== 'string' || device.length === 0 || device.length > 200) throw new AppError('GATEWAY_MESSAGE_INVALID', 'an RPC answer names its device in "device"');
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new AppError('GATEWAY_MESSAGE_INVALID', 'an RPC answer carries the request\'s "id", a whole number');
  return { device, id, data };
}

export interface MqttGateway {
  /** The port the embedded broker listens on, or null for an external broker. */
  readonly port: number | null;
  /** The platform's client id on an external broker (its session there outlives a restart). */
  readonly clientId?: string;
  /** Sends shared attributes to a connected device (topic `v1/devices/me/attributes`). */
  pushAttributes(deviceId: string, values: Record<string, unknown>): void;
  // --- Commands (RPC) -------------------------------------------------------
  /**
   * Publishes the platform's call to the device (`v1/devices/me/rpc/request/$id`,
   * QoS 1); false when the device has no session that takes calls now.
   */
  sendRpc(deviceId: string, request: { id: number; method: string; params: unknown }): boolean;
  // --- end of commands (RPC) ------------------------------------------------
  /** Closes the device's open sessions (token changed or revoked). */
  disconnect(deviceId: string): void;
  close(): Promise<void>;
  // --- Gateways (ThingsBoard IoT Gateway API) ---
  /** Shared attributes of a device behind a gateway, to the gateway: `v1/gateway/attributes` `{"device":…,"data":{…}}`. */
  pushGatewayAttributes(gatewayId: string, deviceName: string, data: Record<string, unknown>): void;
  /**
   * A server-side RPC to a device behind a gateway (`v1/gateway/rpc`, QoS 1);
   * false when the gateway has no session subscribed to it. `delivered` runs
   * once the call was handed to one.
   */
  sendGatewayRpc(gatewayId: string, deviceName: string, request: GatewayRpcRequest, delivered?: () => void): boolean;
}

export const TOPIC = {
  telemetry: 'v1/devices/me/telemetry',
  attributes: 'v1/devices/me/attributes',
  attributesRequest: 'v1/devices/me/attributes/request/',
  attributesResponse: 'v1/devices/me/attributes/response/',
  rpcRequest: 'v1/devices/me/rpc/request/',
  /** ThingsBoard's provisioning topics, used by a client with the user name `provision` */
  provisionRequest: '/provision/request',
  provisionResponse: '/provision/response',
  rpcResponse: 'v1/devices/me/rpc/response/',
} as const;

/** The MQTT user name a device provisioning itself connects with (ThingsBoard's). */
export const PROVISION_USERNAME = 'provision';
