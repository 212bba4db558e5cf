import mqtt from 'mqtt';
import type { DeviceIdentity, DeviceMessageHandler, MqttGateway } from './mqtt.ts';
import { gatewayPublish } from './gateway-topics.ts';

/**
 * Subscribes to an external broker (Mosquitto, EMQX) as one client. There,
 * devices publish to `v1/devices/<token>/telemetry` and `…/attributes` (the
 * broker has no `me` to resolve) and the broker's own ACL admits them;
 * gateways likewise to `v1/gateway/<token>/telemetry`, `…/connect`, `…/disconnect`,
 * `…/attributes`, `…/rpc` and `…/attributes/request` (answered on `…/attributes/response`). A shared
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
  const client = mqtt.connect(url, { clientId: options.clientId, clean: false, reconnectPeriod: 2000 });
  const topics = [`$share/${group}/v1/devices/+/telemetry`, `$share/${group}/v1/devices/+/attributes`];
  // Gateways: v1/gateway/<token>/connect, …/disconnect, …/telemetry, …/attributes, …/rpc (answers) and …/attributes/request.
  topics.push(`$share/${group}/v1/gateway/+/+`, `$share/${group}/v1/gateway/+/attributes/request`);

  client.handleMessage = (packet, callback) => {
    const parts = packet.topic.split('/');
    const [, scope, token] = parts;
    const kind = parts.slice(3).join('/');
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const acknowledge = () => callback();
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
          const reply = (branch: string, body: unknown) => void client.publish(`v1/gateway/${token}/${branch.slice('gateway/'.length)}`, JSON.stringify(body), { qos: 1 });
          await gatewayPublish(handler, device, `v1/gateway/${kind}`, payload, reply);
        } else if (kind === 'telemetry') await handler.telemetry(device, payload);
        else if (kind === 'attributes') await handler.attributes(device, payload);
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
    pushAttributes() {
      // With an external broker, devices read shared attributes over HTTP (GET /api/v1/{token}/attributes).
    },
    disconnect() {
      // The external broker's own ACL decides who stays connected.
    },
    // Gateways: nothing goes down to them through an external broker (as for devices' shared attributes).
    pushGatewayAttributes() {},
    sendGatewayRpc() {
      return false;
    },
    async close() {
      await client.endAsync();
    },
  };
}
