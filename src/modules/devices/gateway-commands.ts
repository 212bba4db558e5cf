import type { MqttGateway } from '../../platform/mqtt/index.ts';
import type { DeviceRef } from './devices.service.ts';
import type { GatewayDevices } from './gateway-devices.ts';

/** A call as the device (or its gateway) receives it. */
export interface DeviceCall {
  id: number;
  method: string;
  params: unknown;
}

/**
 * The commands module's side of a call's life, as gateways need it.
 * Consumer-owned (RpcDelivery fits), so devices do not depend on the rpc module.
 */
export interface GatewayCallDelivery {
  /** The call was handed to the device's session (here: its gateway's). */
  delivered(deviceId: string, requestId: number): Promise<void>;
  /** The device's answer; false (and logged by it) when no call of that device waits with this id. */
  answered(device: { id: string; regionId: string }, requestId: number, response: unknown): Promise<boolean>;
  /** These devices can take calls now: their queued calls go out. */
  devicesReady(deviceIds: readonly string[]): Promise<void>;
}

export interface GatewayCommandsLog {
  warn(detail: Record<string, unknown>, message: string): void;
}

/**
 * Commands (RPC) to devices behind gateways, through the same calls, states
 * and history as any device's: a call to such a device goes to its gateway on
 * `v1/gateway/rpc` as `{"device":"<name>","data":{id,method,params}}`, the
 * gateway's answer `{"device","id","data"}` is matched to the device by
 * (gateway, name), and the calls queued for the devices behind a gateway go
 * out when it subscribes to `v1/gateway/rpc`. Serves as the commands'
 * transport: a device with a session of its own is reached directly.
 */
export class GatewayCommands {
  /** gateway id → whether it became ready again while its queued calls were going out */
  private readonly sweeping = new Map<string, boolean>();

  private readonly gateways: GatewayDevices;
  private readonly mqtt: () => MqttGateway | null;
  private readonly delivery: GatewayCallDelivery;
  private readonly log: GatewayCommandsLog;
  private readonly onError: (error: unknown) => void;
  constructor(gateways: GatewayDevices, mqtt: () => MqttGateway | null, delivery: GatewayCallDelivery, log: GatewayCommandsLog, onError: (error: unknown) => void) {
    this.gateways = gateways;
    this.mqtt = mqtt;
    this.delivery = delivery;
    this.log = log;
    this.onError = onError;
  }

  /** Hands the call to the device's own session, else to its gateway's; false when neither takes calls now. */
  async sendRpc(deviceId: string, request: DeviceCall): Promise<boolean> {
    const mqtt = this.mqtt();
    if (!mqtt) return false;
    // A device with a session of its own never has a gateway: no lookup on the common path.
    if (mqtt.sendRpc(deviceId, request)) return true;
    const behind = await this.gateways.addressOf(deviceId);
    if (!behind) return false;
    const delivered = () => void this.delivery.delivered(deviceId, request.id).catch(this.onError);
    return mqtt.sendGatewayRpc(behind.gatewayId, behind.name, { id: request.id, method: request.method, params: request.params }, delivered);
  }

  /** A gateway's answer for its device `deviceName`; a name it has no device of is ignored (and logged). */
  async answered(gateway: DeviceRef, deviceName: string, requestId: number, data: unknown): Promise<void> {
    const device = (await this.gateways.resolve(gateway, new Map([[deviceName, undefined]]), false)).get(deviceName);
    if (!device) {
      this.log.warn({ gatewayId: gateway.id, deviceName, requestId }, 'RPC answer ignored: the gateway has no device of this name');
      return;
    }
    await this.delivery.answered(device, requestId, data);
  }

  /**
   * The gateway subscribed to `v1/gateway/rpc`: the queued calls of the
   * devices behind it go out, one sweep per gateway at a time (a gateway
   * that reconnects meanwhile gets one more sweep after it, not one each).
   */
  ready(gateway: DeviceRef): void {
    if (!gateway.isGateway) return;
    if (this.sweeping.has(gateway.id)) {
      this.sweeping.set(gateway.id, true);
      return;
    }
    this.sweeping.set(gateway.id, false);
    this.gateways
      .idsBehind(gateway.id)
      .then((ids) => this.delivery.devicesReady(ids))
      .catch(this.onError)
      .finally(() => {
        const again = this.sweeping.get(gateway.id);
        this.sweeping.delete(gateway.id);
        if (again) this.ready(gateway);
      });
  }
}
