/**
 * The gateway side of both adapters (ThingsBoard IoT Gateway API): which
 * topics a gateway publishes and subscribes to, and where each goes. Kept apart
 * from embedded.ts and external.ts, which only call in here for gateway topics.
 */
import { AppError } from '../../core/errors.ts';
import { GATEWAY_TOPIC, parseGatewayRpcResponse, type DeviceIdentity, type DeviceMessageHandler } from './mqtt.ts';

export const GATEWAY_PREFIX = 'v1/gateway/';
/** What a gateway may subscribe to (each mapped below the gateway's private branch). */
const GATEWAY_SUBSCRIBABLE: readonly string[] = [GATEWAY_TOPIC.attributes, GATEWAY_TOPIC.attributesResponse, GATEWAY_TOPIC.rpc];

/**
 * Hands a gateway's message to its handler. `reply` publishes to the
 * gateway's own branch (`gateway/attributes/response` …). Rejects what cannot be taken.
 */
export async function gatewayPublish<D extends DeviceIdentity>(
  handler: DeviceMessageHandler<D>,
  device: D,
  topic: string,
  payload: Buffer,
  reply: (branch: string, body: unknown) => void,
): Promise<void> {
  const gateway = handler.gateway;
  if (!gateway) throw new AppError('GATEWAY_MESSAGE_INVALID', 'this platform does not take the gateway API');
  switch (topic) {
    case GATEWAY_TOPIC.connect:
      return gateway.connect(device, payload);
    case GATEWAY_TOPIC.disconnect:
      return gateway.disconnect(device, payload);
    case GATEWAY_TOPIC.telemetry:
      await gateway.telemetry(device, payload);
      return;
    case GATEWAY_TOPIC.attributes:
      return gateway.attributes(device, payload);
    case GATEWAY_TOPIC.attributesRequest: {
      const answer = await gateway.attributesRequest(device, payload);
      reply('gateway/attributes/response', answer);
      return;
    }
    case GATEWAY_TOPIC.rpc: {
      const answer = parseGatewayRpcResponse(payload);
      await gateway.gatewayRpcResponse(device, answer.device, answer.id, answer.data);
      return;
    }
    default:
      throw new AppError('GATEWAY_MESSAGE_INVALID', `a gateway may not publish to "${topic}"`);
  }
}

/** The branch below the device's private prefix for a gateway subscription, or null when not allowed. */
export function gatewaySubscription(topic: string): string | null {
  return GATEWAY_SUBSCRIBABLE.includes(topic) ? topic.slice('v1/'.length) : null;
}

/** The topic a gateway sees for a message on its private branch `gateway/…`, or null for a device branch. */
export function gatewayForwardTopic(branch: string): string | null {
  return branch.startsWith('gateway/') ? `v1/${branch}` : null;
}
