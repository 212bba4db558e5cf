import { AppError } from '../../core/errors.ts';
import type { GatewayRpcRequest, MqttGateway } from '../../platform/mqtt/index.ts';

/** RPCs to devices behind gateways waiting for their answer on this instance, at most. */
const MAX_PENDING = 10_000;

/**
 * Server-side RPC to a device behind a gateway, at the MQTT level: the request
 * goes to the gateway on `v1/gateway/rpc` and the call resolves with the
 * `data` of its answer, or fails after its timeout. The platform's RPC service
 * (states, history, persistence) routes the RPCs of such devices through here.
 */
export class GatewayRpc {
  private readonly pending = new Map<string, { resolve: (data: unknown) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private readonly mqtt: () => MqttGateway | null;
  private readonly log: (message: string, detail: Record<string, unknown>) => void;
  constructor(mqtt: () => MqttGateway | null, log: (message: string, detail: Record<string, unknown>) => void) {
    this.mqtt = mqtt;
    this.log = log;
  }

  /** Sends `method(params)` to the device `deviceName` behind the gateway; resolves with its answer's `data`. */
  call(gatewayId: string, deviceName: string, method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new AppError('UNAVAILABLE', 'too many commands are waiting for an answer; send again shortly'));
    const request: GatewayRpcRequest = { id: this.nextId++, method, params };
    const key = `${gatewayId}\u0000${deviceName}\u0000${request.id}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new AppError('REQUEST_TIMEOUT', `the device "${deviceName}" did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(key, { resolve, timer });
      if (!this.mqtt()?.sendGatewayRpc(gatewayId, deviceName, request)) {
        clearTimeout(timer);
        this.pending.delete(key);
        reject(new AppError('UNAVAILABLE', 'the gateway of this device is not connected'));
      }
    });
  }

  /** A gateway's answer; one to no pending call of that gateway and device is ignored (and logged). */
  answered(gatewayId: string, deviceName: string, requestId: number, data: unknown): void {
    const key = `${gatewayId}\u0000${deviceName}\u0000${requestId}`;
    const call = this.pending.get(key);
    if (!call) return this.log('RPC answer to no pending request ignored', { gatewayId, requestId });
    clearTimeout(call.timer);
    this.pending.delete(key);
    call.resolve(data);
  }

  close(): void {
    for (const call of this.pending.values()) clearTimeout(call.timer);
    this.pending.clear();
  }
}
