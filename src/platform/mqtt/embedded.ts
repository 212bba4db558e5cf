import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { PROVISION_USERNAME, TOPIC, type DeviceIdentity, type DeviceMessageHandler, type MqttGateway } from './mqtt.ts';
import { meteredConnection, type PacketLimits } from './packet-size.ts';
import { PendingPerAddress, addressOf } from './pending-per-address.ts';

/** Subscriptions of devices live under this prefix, one branch per device, so no device can read another's messages. */
const PRIVATE = '$cerdas/';
const ME = 'v1/devices/me/';
/** What a device may subscribe to, below `v1/devices/me/`. */
const SUBSCRIBABLE = [/^attributes$/, /^attributes\/response\/\+$/, /^rpc\/request\/\+$/, /^rpc\/response\/\+$/];
/** A request or response id in an RPC topic: a small integer, as ThingsBoard's SDKs count them. */
const RPC_ID = /^\d{1,10}$/;

/**
 * Bytes a PUBLISH carries besides its payload: topic length (2), topic, packet
 * id (2). A device's topics are short (`v1/devices/me/attributes/request/<id>`);
 * 4 KiB leaves room for any of them and refuses nothing a device sends.
 */
const PUBLISH_OVERHEAD_BYTES = 4096;
/**
 * Largest CONNECT: client id, user name (the access token), password and a
 * will. Devices send a few hundred bytes; 8 KiB still takes a small will.
 */
const CONNECT_MAX_BYTES = 8192;

export interface EmbeddedBrokerOptions {
  port: number;
  host: string;
  /** Largest payload of a device message (MAX_PAYLOAD_BYTES): a packet declaring more is refused from its header. */
  maxPayloadBytes: number;
  /** ms a connection has to send its CONNECT before it is closed. */
  connectTimeoutMs?: number;
  /** Connections of one address that may be waiting to authenticate at once; more are closed at once. */
  pendingPerAddress?: number;
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The embedded MQTT broker (Aedes): username = access token; CONNACK 4 for an
 * empty username, 5 for an unknown token; QoS 0 and 1.
 */
export async function startEmbeddedBroker<D extends DeviceIdentity>(
  handler: DeviceMessageHandler<D>,
  options: EmbeddedBrokerOptions,
): Promise<MqttGateway> {
  const devices = new WeakMap<Client, D>();
  const clientsOf = new Map<string, Set<Client>>();
  const limits: PacketLimits = { connect: CONNECT_MAX_BYTES, packet: options.maxPayloadBytes + PUBLISH_OVERHEAD_BYTES };
  const pending = new PendingPerAddress(options.pendingPerAddress ?? 20);
  /** Gives back a connection's place among its address's unauthenticated ones (once). */
  const authenticated = new WeakMap<Client['conn'], () => void>();
  // ---- provisioning: clients with the user name `provision`, each answered on a private topic of its own ----
  const provisioning = new WeakMap<Client, string>();
  const addresses = new WeakMap<Client['conn'], string>();
  const provisionTopic = (key: string) => `${PRIVATE}provision/${key}/response`;

  const broker = await Aedes.createBroker({
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    authenticate(client, username, _password, done) {
      if (!username) return done(authError('the MQTT username must be the device access token', 4), false);
      if (username === PROVISION_USERNAME && handler.provision) {
        provisioning.set(client, randomUUID());
        authenticated.get(client.conn)?.();
        return done(null, true);
      }
      handler.authenticate(username).then(
        (device) => {
          if (!device) return done(authError('unknown or revoked access token', 5), false);
          // Aedes drops an older session with the same client id: only the same device may take its place.
          const holder = (broker as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
          if (holder && holder !== client && devices.get(holder)?.id !== device.id) return done(authError('this client id is in use by another device', 5), false);
          devices.set(client, device);
          authenticated.get(client.conn)?.();
          let set = clientsOf.get(device.id);
          if (!set) clientsOf.set(device.id, (set = new Set()));
          set.add(client);
          done(null, true);
        },
        () => done(authError('the platform could not check the token', 5), false),
      );
    },

    authorizePublish(client, packet, done) {
      if (client === null) return done(null); // the platform's own messages
      const provisionKey = provisioning.get(client);
      if (provisionKey !== undefined) {
        if (packet.topic !== TOPIC.provisionRequest || !handler.provision) return done(new Error(`a provisioning client may only publish to ${TOPIC.provisionRequest}`));
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        handler.provision(payload, addresses.get(client.conn) ?? '').then(
          (answer) => {
            done(null);
            broker.publish({ cmd: 'publish', topic: provisionTopic(provisionKey), payload: Buffer.from(JSON.stringify(answer)), qos: 1, retain: false, dup: false }, () => {});
          },
          (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
        );
        return;
      }
      const device = devices.get(client);
      if (!device) return done(new Error('not authenticated'));
      const topic = packet.topic;
      const fail = (error: unknown) => {
        handler.rejected(device, topic, error);
        // MQTT 3.1.1 has no negative PUBACK: refusing closes the connection, and the message is not acknowledged.
        done(error instanceof Error ? error : new Error(String(error)));
      };
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      if (topic === TOPIC.telemetry) {
        handler.telemetry(device, payload).then(() => done(null), fail);
      } else if (topic === TOPIC.attributes) {
        handler.attributes(device, payload).then(() => done(null), fail);
      } else if (topic.startsWith(TOPIC.attributesRequest) && topic.length > TOPIC.attributesRequest.length) {
        const requestId = topic.slice(TOPIC.attributesRequest.length);
        handler.attributesRequest(device, payload).then((answer) => {
          done(null);
          broker.publish(
            { cmd: 'publish', topic: `${PRIVATE}${device.id}/attributes/response/${requestId}`, payload: Buffer.from(JSON.stringify(answer)), qos: 1, retain: false, dup: false },
            () => {},
          );
        }, fail);
      } else if (topic.startsWith(TOPIC.rpcResponse) && RPC_ID.test(topic.slice(TOPIC.rpcResponse.length))) {
        // Commands (RPC): the device's answer to the platform's call; an unknown id is ignored, never refused.
        handler.rpcResponse(device, Number(topic.slice(TOPIC.rpcResponse.length)), payload).then(() => done(null), fail);
      } else if (topic.startsWith(TOPIC.rpcRequest) && RPC_ID.test(topic.slice(TOPIC.rpcRequest.length))) {
        // Commands (RPC): the device's own call (getSessionLimits on connect); always answered, the session stays up.
        const requestId = topic.slice(TOPIC.rpcRequest.length);
        handler.rpcRequest(device, payload).then((answer) => {
          done(null);
          broker.publish(
            { cmd: 'publish', topic: `${PRIVATE}${device.id}/rpc/response/${requestId}`, payload: Buffer.from(JSON.stringify(answer)), qos: 1, retain: false, dup: false },
            () => {},
          );
        }, fail);
      } else {
        fail(new Error(`a device may not publish to "${topic}"`));
      }
    },

    authorizeSubscribe(client, subscription, done) {
      const provisionKey = provisioning.get(client);
      if (provisionKey !== undefined) return done(null, subscription.topic === TOPIC.provisionResponse ? { ...subscription, topic: provisionTopic(provisionKey) } : null);
      const device = devices.get(client);
      const rest = subscription.topic.startsWith(ME) ? subscription.topic.slice(ME.length) : null;
      if (!device || rest === null || !SUBSCRIBABLE.some((re) => re.test(rest))) return done(null, null);
      done(null, { ...subscription, topic: `${PRIVATE}${device.id}/${rest}` });
    },

    authorizeForward(client, packet) {
      const provisionKey = provisioning.get(client);
      if (provisionKey !== undefined) return packet.topic === provisionTopic(provisionKey) ? { ...packet, topic: TOPIC.provisionResponse } : null;
      const device = devices.get(client);
      const own = device ? `${PRIVATE}${device.id}/` : null;
      if (own === null || !packet.topic.startsWith(own)) return null;
      return { ...packet, topic: ME + packet.topic.slice(own.length) };
    },
  });

  // --- Commands (RPC): which sessions take calls; queued calls go out once a device subscribes. ---
  const rpcSessions = new WeakSet<Client>();
  broker.on('subscribe', (subscriptions, client) => {
    const device = client ? devices.get(client) : undefined;
    // The event names the topics as the device asked for them (v1/devices/me/…), granted or not.
    if (!device || !subscriptions.some((s) => s.topic === `${TOPIC.rpcRequest}+` && Number(s.qos) !== 128)) return;
    rpcSessions.add(client);
    handler.rpcReady(device);
  });
  broker.on('unsubscribe', (topics, client) => {
    const device = client ? devices.get(client) : undefined;
    if (device && topics.includes(`${TOPIC.rpcRequest}+`)) rpcSessions.delete(client);
  });
  // --- end of commands (RPC) ---

  broker.on('clientDisconnect', (client) => {
    const device = devices.get(client);
    if (!device) return;
    const set = clientsOf.get(device.id);
    set?.delete(client);
    if (set?.size === 0) clientsOf.delete(device.id);
  });

  const server = net.createServer((socket) => {
    // A socket reset before it was accepted has no address left to count it under.
    if (socket.remoteAddress === undefined) return socket.destroy();
    const address = addressOf(socket);
    if (!pending.admit(address)) return socket.destroy();
    let counted = true;
    const release = () => {
      if (counted) pending.release(address);
      counted = false;
    };
    socket.once('close', release);
    const conn = meteredConnection(socket, limits);
    authenticated.set(conn, release);
    addresses.set(conn, address);
    broker.handle(conn);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    pushAttributes(deviceId, values) {
      broker.publish({ cmd: 'publish', topic: `${PRIVATE}${deviceId}/attributes`, payload: Buffer.from(JSON.stringify(values)), qos: 1, retain: false, dup: false }, () => {});
    },
    // Commands (RPC): QoS 1 to the device's sessions that subscribed to their requests; delivered once written to one.
    sendRpc(deviceId, request) {
      const sessions = [...(clientsOf.get(deviceId) ?? [])].filter((client) => rpcSessions.has(client));
      const device = sessions[0] && devices.get(sessions[0]);
      if (!device) return false;
      const payload = Buffer.from(JSON.stringify({ method: request.method, params: request.params }));
      broker.publish({ cmd: 'publish', topic: `${PRIVATE}${deviceId}/rpc/request/${request.id}`, payload, qos: 1, retain: false, dup: false }, (error) => {
        if (!error) handler.rpcDelivered(device, request.id);
      });
      return true;
    },
    disconnect(deviceId) {
      for (const client of clientsOf.get(deviceId) ?? []) client.close();
      clientsOf.delete(deviceId);
    },
    async close() {
      for (const set of clientsOf.values()) for (const client of set) client.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
