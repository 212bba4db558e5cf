import mqtt from 'mqtt';
import type { DeviceIdentity, DeviceMessageHandler, MqttGateway } from './mqtt.js';

/**
 * Subscribes to an external broker (Mosquitto, EMQX) as one client. There,
 * devices publish to `v1/devices/<token>/telemetry` and `…/attributes` (the
 * broker has no `me` to resolve) and the broker's own ACL admits them. A shared
 * subscription spreads the messages over every platform instance, and each QoS 1
 * message is acknowledged to the broker only once it is durable here.
 */
export async function connectExternalBroker<D extends DeviceIdentity>(handler: DeviceMessageHandler<D>, url: string, group = 'cerdas'): Promise<MqttGateway> {
  const client = mqtt.connect(url, { clientId: `cerdas-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, clean: true, reconnectPeriod: 2000 });
  const topics = [`$share/${group}/v1/devices/+/telemetry`, `$share/${group}/v1/devices/+/attributes`];

  client.handleMessage = (packet, callback) => {
    const [, , token, kind] = packet.topic.split('/');
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    // A bad message cannot be refused over MQTT 3.1.1; it is logged and acknowledged so that it is not redelivered forever.
    const acknowledge = () => callback();
    handler
      .authenticate(token ?? '')
      .then(async (device) => {
        if (!device) throw new Error('unknown or revoked access token');
        if (kind === 'telemetry') await handler.telemetry(device, payload);
        else if (kind === 'attributes') await handler.attributes(device, payload);
      })
      .then(acknowledge, (error: unknown) => {
        handler.rejected(null, packet.topic, error);
        acknowledge();
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
    pushAttributes() {
      // With an external broker, devices read shared attributes over HTTP (GET /api/v1/{token}/attributes).
    },
    disconnect() {
      // The external broker's own ACL decides who stays connected.
    },
    async close() {
      await client.endAsync();
    },
  };
}
