import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import mqttPacket from 'mqtt-packet';
import { GATEWAY_TOPIC, PROVISION_USERNAME, TOPIC, type DeviceIdentity, type DeviceMessageHandler, type MqttGateway } from './mqtt.ts';
import { GATEWAY_PREFIX, gatewayForwardTopic, gatewayPublish, gatewaySubscription } from './gateway-topics.ts';
import { admitConnect } from './packet-size.ts';
import { PendingPerAddress, addressOf } from './pending-per-address.ts';

/** Subscriptions of devices live under this prefix, one branch per device, so no device can read another's messages. */
const PRIVATE = '$cerdas/';
const ME = 'v1/devices/me/';
/** Where a refused subscription is kept, if its session is kept: a branch nothing is published to. */
const REFUSED = 'refused';
/** What a device may subscribe to, below `v1/devices/me/`. */
const SUBSCRIBABLE = [/^attributes$/, /^attributes\/response\/\+$/, /^rpc\/request\/\+$/, /^rpc\/response\/\+$/];
/** Where a provisioning request comes: ThingsBoard's topic today, and `/provision` of its earlier releases, which firmware in the field still uses. */
const PROVISION_REQUEST_TOPICS: readonly string[] = [TOPIC.provisionRequest, '/provision'];
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
/** Bytes of a packet's fixed header: the type byte and up to 4 bytes of remaining length. */
const FIXED_HEADER_MAX_BYTES = 5;

/**
 * MQTT 5 session settings. A client chooses its client id and session expiry,
 * so one device could otherwise pin a session for every id it invents: a
 * session outlives its connection by an hour at most, and at most this many
 * wait at once (past it, a disconnecting session ends at once).
 */
const SESSION_EXPIRY_MAX_S = 3600;
const PENDING_SESSIONS_MAX = 10_000;
/** Topic aliases an MQTT 5 client may set up on a connection (ThingsBoard's SDK uses a few). */
const TOPIC_ALIAS_MAX = 10;
/**
 * QoS 1 messages an MQTT 5 client may have awaiting their PUBACK, advertised in
 * the CONNACK; one sending more is disconnected (0x93). MQTT 3.1.1 has no such
 * limit: there, how many are handled at once is bounded by the bytes read.
 */
const RECEIVE_MAX = 100;

/*
 * mqtt-packet (the library Aedes writes every packet with) fills a table of 65,536 two-byte buffers, one
 * for every packet id, on its first write: some 7 MB of heap, kept from the first device's CONNACK on, to
 * spare one small buffer for the packet id of each PUBACK, which lives until the socket writes it. Off.
 * Aedes imports the same module (one copy in the bundle, and one in Node's module cache without it).
 */
mqttPacket.writeToStream.cacheNumbers = false;

/** MQTT 5 reason codes of a DISCONNECT the broker sends. */
const DISCONNECT_UNSPECIFIED_ERROR = 0x80;
const DISCONNECT_RECEIVE_MAXIMUM_EXCEEDED = 0x93;
/** The device's token was revoked or the device changed: it connects again (or cannot). */
const DISCONNECT_ADMINISTRATIVE_ACTION = 0x98;
/** Longest reason string sent back with a refusal (an MQTT 5 negative PUBACK). */
const REASON_MAX_CHARS = 300;

export interface EmbeddedBrokerOptions {
  port: number;
  host: string;
  /** Largest payload of a device message (MAX_PAYLOAD_BYTES): a packet declaring more is refused from its header. */
  maxPayloadBytes: number;
  /** ms a connection has to send its CONNECT before it is closed. */
  connectTimeoutMs?: number;
  /** Connections of one address that may be waiting to authenticate at once; more are closed at once. */
  pendingPerAddress?: number;
  /**
   * Tells a message that can never be stored (bad payload, a topic a device may
   * not use) from a failure worth retrying (storage unavailable). An MQTT 5
   * client gets a negative PUBACK for the first and keeps its session; for the
   * second its connection is closed, unacknowledged, so that it sends the
   * message again. Every failure is permanent by default.
   */
  isPermanent?: (error: unknown) => boolean;
}

/** A message the broker itself refuses (a topic a device may not publish to): never worth sending again. */
class Refused extends Error {}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Why a message was refused, as a device may read it (an MQTT 5 PUBACK's reason string). */
function refusal(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.length > REASON_MAX_CHARS ? `${message.slice(0, REASON_MAX_CHARS - 1)}…` : message);
}

/**
 * The embedded MQTT broker (Aedes), MQTT 3.1, 3.1.1 and 5: username = access
 * token; CONNACK 4 (MQTT 5: 0x86) for an empty username, 5 (0x87) for an
 * unknown token; QoS 0 and 1. A refused message closes an MQTT 3.1.1
 * connection (it has no negative PUBACK); an MQTT 5 client gets a PUBACK 0x87
 * with the reason and keeps its session.
 */
export async function startEmbeddedBroker<D extends DeviceIdentity>(
  handler: DeviceMessageHandler<D>,
  options: EmbeddedBrokerOptions,
): Promise<MqttGateway> {
  const devices = new WeakMap<Client, D>();
  const clientsOf = new Map<string, Set<Client>>();
  /** The signed-in connection holding each client id. */
  const holders = new Map<string, Client>();
  /** QoS 1 messages of each MQTT 5 connection not yet acknowledged. */
  const inFlight = new WeakMap<Client, number>();
  const isPermanent = options.isPermanent ?? (() => true);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const pending = new PendingPerAddress(options.pendingPerAddress ?? 20);
  /** Gives back a connection's place among its address's unauthenticated ones (once). */
  const authenticated = new WeakMap<Client['conn'], () => void>();
  // ---- provisioning: clients with the user name `provision`, each answered on a private topic of its own ----
  const provisioning = new WeakMap<Client, string>();
  const addresses = new WeakMap<Client['conn'], string>();
  const provisionTopic = (key: string) => `${PRIVATE}provision/${key}/response`;

  const broker = await Aedes.createBroker({
    connectTimeout: connectTimeoutMs,
    // Held from every packet's header, MQTT 3.1.1 too; advertised to MQTT 5 clients in the CONNACK.
    maximumPacketSize: FIXED_HEADER_MAX_BYTES + options.maxPayloadBytes + PUBLISH_OVERHEAD_BYTES,
    topicAliasMaximum: TOPIC_ALIAS_MAX,
    receiveMaximum: RECEIVE_MAX,
    sessionExpiryIntervalLimit: SESSION_EXPIRY_MAX_S,
    pendingSessionsLimit: PENDING_SESSIONS_MAX,
    authenticate(client, username, _password, done) {
      if (!username) return done(authError('the MQTT username must be the device access token', 4), false);
      if (username === PROVISION_USERNAME && handler.provision) {
        // Anyone may provision: such a client never takes the place of a connected one (Aedes would drop the older session).
        const holder = (broker as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
        if (holder && holder !== client) return done(authError('this client id is in use', 5), false);
        provisioning.set(client, randomUUID());
        authenticated.get(client.conn)?.();
        return done(null, true);
      }
      handler.authenticate(username).then(
        (device) => {
          if (!device) return done(authError('unknown or revoked access token', 5), false);
          // Gone while its token was checked: Aedes lets it go; nothing must be kept of it.
          if (client.closed) return done(authError('the connection closed', 5), false);
          // Aedes drops an older session with the same client id: only the same device may take its place.
          const holder = holders.get(client.id);
          if (holder && holder !== client && !holder.closed && devices.get(holder)?.id !== device.id) return done(authError('this client id is in use by another device', 5), false);
          devices.set(client, device);
          holders.set(client.id, client);
          authenticated.get(client.conn)?.();
          let set = clientsOf.get(device.id);
          if (!set) clientsOf.set(device.id, (set = new Set()));
          set.add(client);
          client.conn.once('close', () => forget(client, device));
          done(null, true);
        },
        () => done(authError('the platform could not check the token', 5), false),
      );
    },

    authorizePublish(client, packet, callback) {
      if (client === null) return callback(null); // the platform's own messages
      const provisionKey = provisioning.get(client);
      if (provisionKey !== undefined) {
        if (!PROVISION_REQUEST_TOPICS.includes(packet.topic) || !handler.provision) return callback(new Refused(`a provisioning client may only publish to ${TOPIC.provisionRequest}`));
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        handler.provision(payload, addresses.get(client.conn) ?? '').then(
          (answer) => {
            callback(null);
            broker.publish({ cmd: 'publish', topic: provisionTopic(provisionKey), payload: Buffer.from(JSON.stringify(answer)), qos: 1, retain: false, dup: false }, () => {});
          },
          (error: unknown) => callback(refusal(error)),
        );
        return;
      }
      const device = devices.get(client);
      if (!device) return callback(new Error('not authenticated'));
      const topic = packet.topic;
      const v5 = client.version === 5;
      const counted = v5 && packet.qos > 0;
      if (counted) {
        const n = (inFlight.get(client) ?? 0) + 1;
        if (n > RECEIVE_MAX) return client.disconnect({ reasonCode: DISCONNECT_RECEIVE_MAXIMUM_EXCEEDED });
        inFlight.set(client, n);
      }
      const done = (error: Error | null) => {
        if (counted) inFlight.set(client, inFlight.get(client)! - 1);
        callback(error);
      };
      const fail = (error: unknown) => {
        handler.rejected(device, topic, error);
        if (v5 && !(error instanceof Refused) && !isPermanent(error)) {
          // Not the device's fault: no PUBACK at all, so that it sends the message again once reconnected.
          return client.disconnect({ reasonCode: DISCONNECT_UNSPECIFIED_ERROR, properties: { reasonString: 'the platform could not take the message; send it again' } });
        }
        // MQTT 3.1.1 has no negative PUBACK: refusing closes the connection, and the message is not acknowledged.
        // MQTT 5: Aedes answers a PUBACK 0x87 with this reason string, and the session stays up.
        done(refusal(error));
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
      } else if (topic.startsWith(GATEWAY_PREFIX)) {
        // Gateways (v1/gateway/*): gateway-topics.ts; answers go to the gateway's private branch.
        const reply = (branch: string, body: unknown) =>
          broker.publish({ cmd: 'publish', topic: `${PRIVATE}${device.id}/${branch}`, payload: Buffer.from(JSON.stringify(body)), qos: 1, retain: false, dup: false }, () => {});
        gatewayPublish(handler, device, topic, payload, reply).then(() => done(null), fail);
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
        fail(new Refused(`a device may not publish to "${topic}"`));
      }
    },

    authorizeSubscribe(client, subscription, done) {
      const provisionKey = provisioning.get(client);
      if (provisionKey !== undefined) {
        // In place, as below for devices: a persistent session keeps what it subscribed to as it was changed here.
        const allowed = subscription.topic === TOPIC.provisionResponse;
        subscription.topic = allowed ? provisionTopic(provisionKey) : `${PRIVATE}provision/${provisionKey}/${REFUSED}`;
        return done(null, allowed ? subscription : null);
      }
      const device = devices.get(client);
      if (!device) return done(null, null);
      const own = `${PRIVATE}${device.id}/`;
      // Gateways (v1/gateway/*) map to the gateway's private branch `gateway/…`.
      const gatewayBranch = gatewaySubscription(subscription.topic);
      // A resumed session's subscriptions come back as they were stored: already on the device's own branch.
      const rest = gatewayBranch ?? (subscription.topic.startsWith(ME) ? subscription.topic.slice(ME.length) : subscription.topic.startsWith(own) ? subscription.topic.slice(own.length) : null);
      const allowed = rest !== null && (SUBSCRIBABLE.some((re) => re.test(rest)) || gatewaySubscription(`v1/${rest}`) !== null);
      // Changed in place, not copied: Aedes stores a persistent session's SUBSCRIBE as it came (every filter
      // of it, refused ones too) and matches later messages against what it stored. Stored as sent, `#` would
      // queue every message of the broker for that session; `v1/devices/me/…` would match nothing.
      subscription.topic = allowed ? own + rest : `${own}${REFUSED}`;
      done(null, allowed ? subscription : null);
    },

    authorizeForward(client, packet) {
      const provisionKey = provisioning.get(client);
      if (provisionKey !== undefined) return packet.topic === provisionTopic(provisionKey) ? { ...packet, topic: TOPIC.provisionResponse } : null;
      const device = devices.get(client);
      const own = device ? `${PRIVATE}${device.id}/` : null;
      if (own === null || !packet.topic.startsWith(own)) return null;
      const branch = packet.topic.slice(own.length);
      const topic = gatewayForwardTopic(branch) ?? ME + branch;
      // A message kept for a persistent session while the device was away is sent as it is (Aedes asks only
      // whether to send it); it has a packet id of this connection already, so it is this connection's own copy.
      // A live message is shared by every subscriber: it is copied.
      if (packet.messageId !== undefined) packet.topic = topic;
      return { ...packet, topic };
    },
  });

  // What a client publishes is handled in authorizePublish above and is nobody's to receive: every subscription is
  // moved onto a private branch ($cerdas/…, authorizeSubscribe), where no client may publish. Aedes would still route
  // each message once acknowledged (a copy of the packet, a match against the subscriptions and against the offline
  // sessions', a retained one kept for ever): some 5% of the server's samples under MQTT ingest. Only the platform's own
  // messages (no client) are routed; the PUBACK is Aedes's, written before this is called.
  const route = broker.publish;
  // Aedes calls it (packet, client, done); the platform (packet, done).
  const routeOwnOnly = (packet: PublishPacket, client: unknown, done?: (error?: Error) => void): void => {
    if (typeof client === 'object' && client !== null) return done?.();
    Reflect.apply(route, broker, [packet, client, done]);
  };
  Reflect.set(broker, 'publish', routeOwnOnly);

  // --- Commands (RPC): which sessions take calls; queued calls go out once a device subscribes. ---
  const rpcSessions = new WeakSet<Client>();
  // Gateways' sessions subscribed to v1/gateway/rpc: the calls to the devices behind them go there.
  const gatewayRpcSessions = new WeakSet<Client>();
  broker.on('subscribe', (subscriptions, client) => {
    const device = client ? devices.get(client) : undefined;
    // The event names the topics as the device asked for them (v1/devices/me/…), granted or not.
    if (!device) return;
    // As asked (v1/devices/me/…), or as authorizeSubscribe rewrote it in place onto the device's own branch.
    const requests = [`${TOPIC.rpcRequest}+`, `${PRIVATE}${device.id}/rpc/request/+`];
    if (subscriptions.some((s) => requests.includes(s.topic) && Number(s.qos) !== 128)) {
      rpcSessions.add(client);
      handler.rpcReady(device);
    }
    const gatewayRequests = [GATEWAY_TOPIC.rpc, `${PRIVATE}${device.id}/gateway/rpc`];
    if (handler.gateway && subscriptions.some((s) => gatewayRequests.includes(s.topic) && Number(s.qos) !== 128)) {
      gatewayRpcSessions.add(client);
      handler.gateway.rpcReady(device);
    }
  });
  broker.on('unsubscribe', (topics, client) => {
    const device = client ? devices.get(client) : undefined;
    if (!device) return;
    if (topics.includes(`${TOPIC.rpcRequest}+`) || topics.includes(`${PRIVATE}${device.id}/rpc/request/+`)) rpcSessions.delete(client);
    if (topics.includes(GATEWAY_TOPIC.rpc) || topics.includes(`${PRIVATE}${device.id}/gateway/rpc`)) gatewayRpcSessions.delete(client);
  });
  // --- end of commands (RPC) ---

  /** A signed-in connection has closed. */
  function forget(client: Client, device: D) {
    if (holders.get(client.id) === client) holders.delete(client.id);
    const set = clientsOf.get(device.id);
    set?.delete(client);
    if (set?.size === 0) clientsOf.delete(device.id);
  }

  const sockets = new Set<net.Socket>();
  // No Nagle: a command to a device (a small PUBLISH after the PUBACK before it) otherwise waits for the
  // device's delayed ACK, 40 ms a round trip; with one message in flight per device nothing is coalesced anyway.
  const server = net.createServer({ noDelay: true }, (socket) => {
    // A socket reset before it was accepted has no address left to count it under.
    if (socket.remoteAddress === undefined) return socket.destroy();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const address = addressOf(socket);
    if (!pending.admit(address)) return socket.destroy();
    let counted = true;
    const release = () => {
      if (counted) pending.release(address);
      counted = false;
    };
    socket.once('close', release);
    authenticated.set(socket, release);
    addresses.set(socket, address);
    // Aedes reads the socket itself once its first bytes are those of a CONNECT: nothing stands between them after.
    admitConnect(socket, CONNECT_MAX_BYTES, connectTimeoutMs, () => broker.handle(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // The port is taken (or refused): the broker's own timers must not keep the process alive.
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
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
      for (const client of clientsOf.get(deviceId) ?? []) client.disconnect({ reasonCode: DISCONNECT_ADMINISTRATIVE_ACTION });
      clientsOf.delete(deviceId);
    },
    // Gateways: to the gateway's private branch, as the gateway API words it.
    pushGatewayAttributes(gatewayId, deviceName, data) {
      broker.publish({ cmd: 'publish', topic: `${PRIVATE}${gatewayId}/gateway/attributes`, payload: Buffer.from(JSON.stringify({ device: deviceName, data })), qos: 1, retain: false, dup: false }, () => {});
    },
    // As for devices: QoS 1 to the gateway's sessions that subscribed to v1/gateway/rpc; delivered once written to one.
    sendGatewayRpc(gatewayId, deviceName, request, delivered) {
      if (![...(clientsOf.get(gatewayId) ?? [])].some((client) => gatewayRpcSessions.has(client))) return false;
      const payload = Buffer.from(JSON.stringify({ device: deviceName, data: request }));
      broker.publish({ cmd: 'publish', topic: `${PRIVATE}${gatewayId}/gateway/rpc`, payload, qos: 1, retain: false, dup: false }, (error) => {
        if (!error) delivered?.();
      });
      return true;
    },
    async close() {
      // Aedes tells MQTT 5 clients why (0x8B, server shutting down); a socket still before its CONNECT is just closed.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
