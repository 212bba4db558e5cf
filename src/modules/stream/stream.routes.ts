import type {} from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { BEARER_SCHEME } from '../../platform/http/route-security.ts';
import { hashToken } from '../../core/ids.ts';
import type { IdentityService } from '../identity/index.ts';
import { StreamClientMessage, StreamServerMessage } from './stream.contract.ts';
import { StreamError, type StreamHub } from './stream.hub.ts';

/** The subprotocol the stream speaks; a client offers it beside its bearer subprotocol, and the server picks it. */
export const STREAM_PROTOCOL = 'cerdas.v1';
/** `Sec-WebSocket-Protocol: cerdas.v1, cerdas.bearer.<token>`: how a browser, which cannot set headers on a WebSocket, sends its token. */
export const BEARER_PROTOCOL_PREFIX = 'cerdas.bearer.';

/**
 * The protocol the server answers with: cerdas.v1 when offered, never the
 * bearer one unless it is all the client offered (a browser refuses a
 * connection whose offered protocols get no answer).
 */
export function chooseProtocol(offered: Set<string>): string | false {
  if (offered.has(STREAM_PROTOCOL)) return STREAM_PROTOCOL;
  return [...offered].find((p) => !p.startsWith(BEARER_PROTOCOL_PREFIX)) ?? [...offered][0] ?? false;
}

/**
 * The session token of a stream request, from (in this order) the
 * Authorization header, the bearer subprotocol, or `?token=` — the last kept
 * for old clients; it is in the URL, so logs show it redacted.
 */
function streamToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (header) return header;
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    const bearer = protocols.split(',').map((p) => p.trim()).find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
    if (bearer && bearer.length > BEARER_PROTOCOL_PREFIX.length) return bearer.slice(BEARER_PROTOCOL_PREFIX.length);
  }
  const query = (request.query as { token?: unknown }).token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/**
 * `GET /api/v1/stream` (WebSocket). Authenticate with `Authorization: Bearer`,
 * the subprotocol `cerdas.bearer.<token>` (beside `cerdas.v1`), or, for old
 * clients, `?token=`. A session that ends (logout, a password changed or reset,
 * the user disabled, demoted or deleted) closes its stream at once with 4001.
 * Messages in: subscribe, unsubscribe, ping; out: subscribed, telemetry, alarm,
 * device, pong, error. A malformed message gets an error and the connection stays.
 */
export const streamRoutes: FastifyPluginAsync<{ hub: StreamHub; identity: IdentityService; pingMs?: number }> = async (app, { hub, identity, pingMs = 30_000 }) => {
  // The messages' schemas, listed in the document's components.
  app.addSchema(StreamClientMessage);
  app.addSchema(StreamServerMessage);
  app.route({
    method: 'GET',
    url: '/stream',
    schema: {
      tags: ['stream'],
      summary: 'Live telemetry, alarms, incidents, device status, notifications, duty and commands over WebSocket',
      description:
        `Upgrade to a WebSocket (subprotocol \`${STREAM_PROTOCOL}\`). The session token goes in \`Authorization: Bearer\`, or, from a browser, ` +
        `in the subprotocol \`${BEARER_PROTOCOL_PREFIX}<token>\` offered beside \`${STREAM_PROTOCOL}\` (old clients: \`?token=\`). ` +
        'Each frame is one JSON object: the client sends StreamClientMessage, the server StreamServerMessage (x-websocket names both). ' +
        'A subscription carries what changes after its `subscribed` answer: to miss nothing, read the state through the REST API after that answer ' +
        '(again after each reconnect) and apply the messages that arrive meanwhile over it. ' +
        'A session that ends closes the stream with 4001; a client too slow to read is disconnected.',
      security: [{ [BEARER_SCHEME]: [] }],
      querystring: Type.Object({ token: Type.Optional(Type.String({ description: 'the session token, for old clients (prefer the header or the subprotocol)' })) }),
      response: {
        101: Type.Null({ description: 'Switching Protocols: the WebSocket is open' }),
        401: Type.Ref('Error'),
        426: Type.Ref('Error'),
      },
      'x-websocket': {
        subprotocol: STREAM_PROTOCOL,
        client: { $ref: '#/components/schemas/StreamClientMessage' },
        server: { $ref: '#/components/schemas/StreamServerMessage' },
      },
    },
    preValidation: async (request) => {
      const token = streamToken(request);
      if (!token) throw new AppError('UNAUTHENTICATED', `send "Authorization: Bearer <token>" or the subprotocols "${STREAM_PROTOCOL}, ${BEARER_PROTOCOL_PREFIX}<token>"`);
      request.principal = await identity.authenticate(token);
      (request as { streamToken?: string }).streamToken = token;
    },
    // A plain GET (no Upgrade header) is told to upgrade.
    handler: async () => {
      throw new AppError('UPGRADE_REQUIRED', 'this is a WebSocket: connect with "Upgrade: websocket"');
    },
    wsHandler: (socket, request) => {
      const token = (request as { streamToken?: string }).streamToken!;
      const client = hub.attach(socket, request.principal!, hashToken(token));
      const reply = (message: Record<string, unknown>) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(message));
      let alive = true;
      socket.on('pong', () => (alive = true));
      const pinger = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
        // Ended sessions close at once (session.revoked); this catches expiry, and a session ended by the
        // admin command on an installation without BUS_URL, whose event cannot reach this process.
        identity.authenticate(token).then(
          (principal) => (client.principal = principal),
          () => socket.close(4001, 'the session has ended; log in again'),
        );
      }, pingMs);
      pinger.unref();
      socket.on('close', () => clearInterval(pinger));

      socket.on('message', (data, isBinary) => {
        let message: { type?: unknown; id?: unknown; topic?: unknown; filter?: unknown };
        try {
          if (isBinary) throw new Error('binary');
          message = JSON.parse(data.toString());
          if (typeof message !== 'object' || message === null) throw new Error('not an object');
        } catch {
          reply({ type: 'error', code: 'INVALID_JSON', message: 'each message must be a JSON object with a "type"' });
          return;
        }
        const id = typeof message.id === 'string' ? message.id : undefined;
        switch (message.type) {
          case 'subscribe':
            hub.subscribe(client, message.id, message.topic, message.filter).then(
              () => reply({ type: 'subscribed', id: message.id, topic: message.topic }),
              (error: unknown) =>
                reply({ type: 'error', id, code: error instanceof StreamError ? error.code : 'INTERNAL', message: error instanceof Error ? error.message : 'failed' }),
            );
            return;
          case 'unsubscribe':
            if (hub.unsubscribeFrom(client, message.id)) reply({ type: 'unsubscribed', id });
            else reply({ type: 'error', id, code: 'NOT_FOUND', message: 'no subscription with this id' });
            return;
          case 'ping':
            reply({ type: 'pong', ...(id !== undefined && { id }) });
            return;
          default:
            reply({ type: 'error', id, code: 'VALIDATION_FAILED', message: '"type" must be subscribe, unsubscribe or ping' });
        }
      });
    },
  });
};
