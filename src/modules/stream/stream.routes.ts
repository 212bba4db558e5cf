import type {} from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../core/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import { StreamError, type StreamHub } from './stream.hub.ts';

/**
 * `GET /api/v1/stream` (WebSocket). Authenticate with `Authorization: Bearer`
 * or `?token=` (browsers cannot set headers on a WebSocket). Messages in:
 * subscribe, unsubscribe, ping; out: subscribed, telemetry, alarm, device,
 * pong, error. A malformed message gets an error and the connection stays.
 */
export const streamRoutes: FastifyPluginAsync<{ hub: StreamHub; identity: IdentityService; pingMs?: number }> = async (app, { hub, identity, pingMs = 30_000 }) => {
  app.get(
    '/stream',
    {
      websocket: true,
      schema: { tags: ['stream'], summary: 'Live telemetry, alarms and device status over WebSocket', hide: false },
      preValidation: async (request) => {
        const header = request.headers.authorization;
        const query = (request.query as { token?: string }).token;
        const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? query;
        if (!token) throw new AppError('UNAUTHENTICATED', 'send "Authorization: Bearer <token>" or ?token=');
        request.principal = await identity.authenticate(token);
        (request as { streamToken?: string }).streamToken = token;
      },
    },
    (socket, request) => {
      const client = hub.attach(socket, request.principal!);
      const reply = (message: Record<string, unknown>) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(message));
      let alive = true;
      socket.on('pong', () => (alive = true));
      const token = (request as { streamToken?: string }).streamToken!;
      const pinger = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
        // The session may have ended (logout, expiry, a disabled user) or changed (role, OPD) since connect.
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
  );
};
