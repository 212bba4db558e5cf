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
}

export const TOPIC = {
  telemetry: 'v1/devices/me/telemetry',
  attributes: 'v1/devices/me/attributes',
  attributesRequest: 'v1/devices/me/attributes/request/',
  attributesResponse: 'v1/devices/me/attributes/response/',
  rpcRequest: 'v1/devices/me/rpc/request/',
  rpcResponse: 'v1/devices/me/rpc/response/',
  /** ThingsBoard's provisioning topics, used by a client with the user name `provision` */
  provisionRequest: '/provision/request',
  provisionResponse: '/provision/response',
} as const;

/** The MQTT user name a device provisioning itself connects with (ThingsBoard's). */
export const PROVISION_USERNAME = 'provision';
