import type { DeviceIdentity, DeviceMessageHandler, MqttGateway } from './mqtt.ts';
import { gatewayPublish } from './gateway-topics.ts';

/** The user property that marks a message the platform published itself. */
const ORIGIN = 'cerdas-origin';

/**
 * Subscribes to an external broker (Mosquitto, EMQX) as one client. There,
 * devices publish to `v1/devices/<token>/telemetry` and `…/attributes` (the
 * broker has no `me` to resolve) and the broker's own ACL admits them;
 * gateways likewise to `v1/gateway/<token>/telemetry`, `…/connect`, `…/disconnect`,
 * `…/attributes`, `…/rpc` and `…/attributes/request` (answered on `…/attributes/response`); shared
 * attributes and commands go down on the same topics, as ThingsBoard sends them on `me` (a device on
 * MQTT 3.1.1 also gets back what it publishes on a topic it subscribed to: MQTT 5's "no local" spares it). A shared
 * subscription spreads the messages over every platform instance, and each QoS 1
 * message is acknowledged to the broker only once it is durable here.
 */
export async function connectExternalBroker<D extends DeviceIdentity>(
  handler: DeviceMessageHandler<D>,
  url: string,
  options: {
    /** Stable across restarts, so that the broker keeps what arrives meanwhile and redelivers what was not acknowledged. */
    clientId: string;
    /** Tells a message that can never be stored (bad payload, unknown token) from a failure worth retrying. */
    isPermanent: (error: unknown) => boolean;
    group?: string;
  },
): Promise<MqttGateway> {
  const group = options.group ?? 'cerdas';
  // MQTT 5, for the user property that marks the platform's own messages (below); the session never expires, as a 3.1.1 one with clean: false.
  // Loaded here, not with the module: the MQTT client library (with its timers and streams, some MB) stays out of a server that runs the embedded broker.
  const { default: mqtt } = await import('mqtt');
  const client = mqtt.connect(url, { clientId: options.clientId, clean: false, reconnectPeriod: 2000, protocolVersion: 5, properties: { sessionExpiryInterval: 0xffffffff } });
  const topics = [
    `$share/${group}/v1/devices/+/telemetry`,
    `$share/${group}/v1/devices/+/attributes`,
    // A device's request for its attributes, answered on v1/devices/<token>/attributes/response/<id>.
    `$share/${group}/v1/devices/+/attributes/request/+`,
    // Commands (RPC): devices' answers to the platform's calls, and their own calls.
    `$share/${group}/v1/devices/+/rpc/response/+`,
    `$share/${group}/v1/devices/+/rpc/request/+`,
    // Gateways: v1/gateway/<token>/connect, …/disconnect, …/telemetry, …/attributes, …/rpc (answers) and …/attributes/request.
    `$share/${group}/v1/gateway/+/+`,
    `$share/${group}/v1/gateway/+/attributes/request`,
  ];

  // --- Commands (RPC) ---------------------------------------------------------
  // Only token hashes are stored: the token a device's topics carry is learned from its own messages.
  const heard = new Map<string, { token: string; device: D }>();
  // What the platform publishes under v1/devices/<token>/rpc/… comes back to its own subscriptions ("no local"
  // is not allowed on a shared one), to this instance or to another of the group, which cannot tell it from a
  // device's message by its topic: a call to the device would be taken as the device's own call, an answer to
  // the device's call as its answer to a command. So each carries a user property, and is skipped when it returns.
  const MAX_HEARD = 200_000;
  const publishOwn = (topic: string, body: unknown, then?: () => void) => {
    client.publish(topic, JSON.stringify(body), { qos: 1, properties: { userProperties: { [ORIGIN]: group } } }, (error) => {
      if (!error) then?.();
    });
  };
  const learn = (token: string, device: D, scope: string | undefined) => {
    const known = heard.get(device.id);
    if (known?.token === token) return;
    if (heard.size >= MAX_HEARD) heard.clear();
    heard.set(device.id, { token, device });
    // Heard from (again, or under a new token): its queued calls (a gateway's: those to the devices behind it) can go out now.
    if (scope === 'gateway') handler.gateway?.rpcReady(device);
    else handler.rpcReady(device);
  };
  const onRpc = async (device: D, token: string, direction: string | undefined, id: string | undefined, payload: Buffer) => {
    const requestId = Number(id);
    if (!/^\d{1,10}$/.test(id ?? '')) throw new Error(`an RPC id must be a number, not "${id}"`);
    if (direction === 'response') await handler.rpcResponse(device, requestId, payload);
    else if (direction === 'request') publishOwn(`v1/devices/${token}/rpc/response/${id}`, await handler.rpcRequest(device, payload));
  };
  // --- end of commands (RPC) --------------------------------------------------

  client.handleMessage = (packet, callback) => {
    const parts = packet.topic.split('/');
    const [, scope, token] = parts;
    const kind = parts.slice(3).join('/');
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const acknowledge = () => callback();
    if (packet.properties?.userProperties?.[ORIGIN] !== undefined) return acknowledge();
    handler
      .authenticate(token ?? '')
      .then(async (device) => {
        if (!device) {
          // Never storable: acknowledged (and logged) so that it is not redelivered forever.
          handler.rejected(null, packet.topic, new Error('unknown or revoked access token'));
          return;
        }
        if (scope === 'gateway') {
          // The answer to an attribute request goes back on the topic of the gateway's token: v1/gateway/<token>/attributes/response.
          const reply = (branch: string, body: unknown) => publishOwn(`v1/gateway/${token}/${branch.slice('gateway/'.length)}`, body);
          await gatewayPublish(handler, device, `v1/gateway/${kind}`, payload, reply);
        } else if (kind === 'telemetry') await handler.telemetry(device, payload);
        else if (kind === 'attributes') await handler.attributes(device, payload);
        else if (parts[3] === 'attributes' && parts[4] === 'request' && /^\d{1,10}$/.test(parts[5] ?? '') && parts.length === 6)
          publishOwn(`v1/devices/${token}/attributes/response/${parts[5]}`, await handler.attributesRequest(device, payload));
        else if (parts[3] === 'rpc') await onRpc(device, token!, parts[4], parts[5], payload);
        learn(token!, device, scope);
      })
      .then(acknowledge, (error: unknown) => {
        handler.rejected(null, packet.topic, error);
        // A bad message cannot be refused over MQTT 3.1.1: it is acknowledged so that it is not redelivered forever.
        if (options.isPermanent(error)) return acknowledge();
        // Anything else (storage unavailable, overloaded) stays unacknowledged: dropping the
        // connection makes the broker deliver it again to this or another instance.
        client.stream.destroy();
      });
  };

  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cannot connect to the MQTT broker at ${new URL(url).host}`)), 5000);
    client.once('connect', () => {
      clearTimeout(timer);
      client.subscribe(topics, { qos: 1 }, (error) => (error ? reject(error) : resolve()));
    });
    client.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to the MQTT broker at ${new URL(url).host}: ${error.message}`));
    });
  });
  try {
    await connected;
  } catch (error) {
    client.end(true);
    throw error;
  }

  return {
    port: null,
    clientId: options.clientId,
    // Shared attributes (and their deletion) to v1/devices/<token>/attributes, as ThingsBoard sends them on
    // v1/devices/me/attributes; nothing until the device was heard from (its token is learned from its messages).
    pushAttributes(deviceId, values) {
      const known = heard.get(deviceId);
      if (known) publishOwn(`v1/devices/${known.token}/attributes`, values);
    },
    // Commands (RPC): to the topic of the token the device was last heard under; false until it is heard from.
    sendRpc(deviceId, request) {
      const known = heard.get(deviceId);
      if (!known) return false;
      publishOwn(`v1/devices/${known.token}/rpc/request/${request.id}`, { method: request.method, params: request.params }, () => handler.rpcDelivered(known.device, request.id));
      return true;
    },
    disconnect(deviceId) {
      // The external broker's own ACL decides who stays connected; a changed or revoked token is forgotten here.
      heard.delete(deviceId);
    },
    // Gateways: as on the embedded broker, on the topics of the gateway's token, once it was heard from.
    pushGatewayAttributes(gatewayId, deviceName, data) {
      const known = heard.get(gatewayId);
      if (known) publishOwn(`v1/gateway/${known.token}/attributes`, { device: deviceName, data });
    },
    sendGatewayRpc(gatewayId, deviceName, request, delivered) {
      const known = heard.get(gatewayId);
      if (!known) return false;
      publishOwn(`v1/gateway/${known.token}/rpc`, { device: deviceName, data: request }, delivered);
      return true;
    },
    async close() {
      await client.endAsync();
    },
  };
}
