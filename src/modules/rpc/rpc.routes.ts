import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, IdParams, NoBody } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { DeviceRpcRequest, MAX_RPC_POLL_MS, Rpc, RpcListQuery, RpcPage, SendRpcBody } from './rpc.contract.ts';
import type { ClientSideRpc } from './rpc.client-side.ts';
import type { RpcDelivery, RpcDevice } from './rpc.delivery.ts';
import type { RpcHistory } from './rpc.read.ts';
import { answerOf } from './rpc.record.ts';
import type { SendRpc } from './rpc.send.ts';

/** Commands to devices, as operators send and read them. */
export const rpcRoutes: FastifyPluginAsyncTypebox<{ send: SendRpc; history: RpcHistory; identity: IdentityService }> = async (app, { send, history, identity }) => {
  const user = requireUser(identity);
  const tags = ['commands (RPC)'];
  app.post(
    '/devices/:id/rpc',
    {
      preHandler: user,
      schema: {
        tags,
        summary: "Sends a command to a device. Two-way, not persistent: waits and answers with the device's answer as the body; one-way or persistent: {rpcId, state} at once. The call's id is in the X-Rpc-Id header.",
        params: IdParams,
        body: SendRpcBody,
        response: {
          200: Type.Unknown({ description: "the device's answer (two-way), or RpcAccepted {rpcId, state} (one-way, persistent)" }),
          ...authErrors,
          409: Type.Ref('Error'),
          422: Type.Ref('Error'),
          429: Type.Ref('Error'),
          504: Type.Ref('Error'),
        },
      },
    },
    async (request, reply) => {
      const outcome = await send.send(principalOf(request), request.params.id, request.body, request.ip);
      if (outcome.kind === 'accepted') return reply.header('x-rpc-id', outcome.accepted.rpcId).send(outcome.accepted);
      // The answer as the device gave it (a bare string stays JSON, not text).
      return reply.header('x-rpc-id', outcome.rpc.id).type('application/json; charset=utf-8').serializer((v) => v as string).send(JSON.stringify(outcome.rpc.response));
    },
  );
  app.get(
    '/devices/:id/rpc',
    { preHandler: user, schema: { tags, summary: "A device's commands, newest first, with their states and who sent them", params: IdParams, querystring: RpcListQuery, response: { 200: RpcPage, ...authErrors } } },
    async (request) => history.listOfDevice(principalOf(request), request.params.id, request.query.limit ?? 50, request.query.cursor),
  );
  app.get(
    '/rpc/:rpcId',
    { preHandler: user, schema: { tags, summary: 'One command', params: Type.Object({ rpcId: Type.String({ format: 'uuid' }) }), response: { 200: Rpc, ...authErrors } } },
    async (request) => history.get(principalOf(request), request.params.rpcId),
  );
};

/**
 * The device side of commands over HTTP (ThingsBoard's convention): the long
 * poll for the next command, the answer to one, and the device's own calls.
 * Bodies are raw bytes whatever their content type, as on the rest of the device API.
 */
export const rpcDeviceRoutes: FastifyPluginAsyncTypebox<{
  authenticate: (token: string) => Promise<RpcDevice>;
  delivery: RpcDelivery;
  clientSide: ClientSideRpc;
  maxPayloadBytes: number;
}> = async (app, { authenticate, delivery, clientSide, maxPayloadBytes }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxPayloadBytes }, (_request, body, done) => done(null, body));
  const tags = ['device API'];
  const Token = Type.String({ minLength: 1, maxLength: 256, description: "the device's access token" });
  const errors = { 400: Type.Ref('Error'), 401: Type.Ref('Error'), 413: Type.Ref('Error'), 429: Type.Ref('Error') };

  app.get(
    '/:token/rpc',
    {
      schema: {
        tags,
        summary: 'Long poll: the next command for the device, or 408 when none came within the timeout',
        params: Type.Object({ token: Token }),
        querystring: Type.Object({ timeout: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RPC_POLL_MS, default: 10_000, description: `ms to wait (at most ${MAX_RPC_POLL_MS})` })) }),
        response: { 200: DeviceRpcRequest, 408: Type.Ref('Error'), ...errors },
      },
    },
    async (request, reply) => {
      const device = await authenticate(request.params.token);
      const hangUp = new AbortController();
      reply.raw.once('close', () => hangUp.abort());
      const call = await delivery.poll(device, request.query.timeout ?? 10_000, hangUp.signal);
      if (!call) throw new AppError('REQUEST_TIMEOUT', 'no command for this device within the timeout; poll again');
      return call;
    },
  );
  app.post(
    '/:token/rpc/:requestId',
    {
      schema: {
        tags,
        summary: "The device's answer to command $requestId",
        params: Type.Object({ token: Token, requestId: Type.Integer({ minimum: 0, maximum: 2 ** 31 }) }),
        body: Type.Unknown(),
        response: { 200: NoBody('no body: the answer is taken'), 404: Type.Ref('Error'), ...errors },
      },
    },
    async (request, reply) => {
      const device = await authenticate(request.params.token);
      const taken = await delivery.answered(device, request.params.requestId, answerOf(bodyBytes(request.body)));
      if (!taken) throw new AppError('RPC_NOT_FOUND', `no command ${request.params.requestId} of this device waits for an answer`);
      return reply.code(200).send();
    },
  );
  app.post(
    '/:token/rpc',
    {
      schema: {
        tags,
        summary: "The device's own call to the platform (client-side RPC): getSessionLimits, getCurrentTime",
        params: Type.Object({ token: Token }),
        body: Type.Unknown({ description: '{"method": "...", "params": {...}}' }),
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request, reply) => {
      await authenticate(request.params.token);
      const answer = clientSide.answer(answerOf(bodyBytes(request.body)));
      return reply.type('application/json; charset=utf-8').serializer((v) => v as string).send(JSON.stringify(answer));
    },
  );
};

function bodyBytes(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
