import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';

/** Connects as a device; resolves with the client and its CONNACK, rejects with the refusal. */
export function connectWithConnack(port: number, token: string, protocolVersion: 4 | 5 = 4, extra: IClientOptions = {}): Promise<{ client: MqttClient; connack: IConnackPacket }> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username: token, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion, ...extra });
    client.once('connect', (connack) => resolve({ client, connack }));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
  });
}

/** Connects as a device; resolves on CONNACK, rejects with the refusal's return code. */
export async function connectDevice(port: number, token: string, protocolVersion: 4 | 5 = 4, extra: IClientOptions = {}): Promise<MqttClient> {
  return (await connectWithConnack(port, token, protocolVersion, extra)).client;
}

/** Resolves once the broker has closed the connection; rejects if it stays open `ms`. */
export function closed(client: MqttClient, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('the broker did not close the connection')), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The next message the client receives, its payload parsed as JSON. */
export function nextMessage(client: MqttClient, ms = 5000): Promise<{ topic: string; payload: any }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message arrived')), ms);
    client.once('message', (topic, payload) => {
      clearTimeout(timer);
      resolve({ topic, payload: JSON.parse(payload.toString()) });
    });
  });
}

/** Reads until `ok` holds, every 20 ms for at most `ms`; the error names what it waited for and the last value. */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
