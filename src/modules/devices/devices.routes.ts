import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './devices.contract.ts';
import type { DevicesService } from './devices.service.ts';

export const devicesRoutes: FastifyPluginAsyncTypebox<{ devices: DevicesService; identity: IdentityService }> = async (app, { devices, identity }) => {
  const user = requireUser(identity);
  const tags = ['devices'];

  app.get('/devices', { preHandler: user, schema: { tags, summary: 'Devices of the region, filtered and paged', querystring: S.DeviceListQuery, response: { 200: PageOf(S.Device), ...authErrors } } }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    return devices.list(principalOf(request), filter, limit ?? 100, cursor);
  });
  app.post(
    '/devices',
    { preHandler: user, schema: { tags, summary: 'Register a device; the answer holds its access token, shown once', body: S.CreateDeviceBody, response: { 201: S.DeviceWithToken, ...authErrors } } },
    async (request, reply) => reply.code(201).send(await devices.create(principalOf(request), request.body)),
  );
  app.get('/devices/:id', { preHandler: user, schema: { tags, params: IdParams, response: { 200: S.Device, ...authErrors } } }, async (request) =>
    devices.get(principalOf(request), request.params.id),
  );
  app.patch('/devices/:id', { preHandler: user, schema: { tags, params: IdParams, body: S.UpdateDeviceBody, response: { 200: S.Device, ...authErrors } } }, async (request) =>
    devices.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/devices/:id', { preHandler: user, schema: { tags, summary: 'Delete a device and all its telemetry', params: IdParams, response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await devices.delete(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    '/devices/:id/token',
    { preHandler: user, schema: { tags, summary: 'Issue a new access token; the old one stops working at once', params: IdParams, response: { 200: S.TokenResponse, ...authErrors } } },
    async (request) => devices.regenerateToken(principalOf(request), request.params.id),
  );
  app.delete(
    '/devices/:id/token',
    { preHandler: user, schema: { tags, summary: 'Revoke the access token: the device can no longer send', params: IdParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await devices.revokeToken(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get('/devices/:id/attributes', { preHandler: user, schema: { tags, summary: 'Client, shared and server attributes', params: IdParams, response: { 200: S.AttributesResponse, ...authErrors } } }, async (request) =>
    devices.attributes(principalOf(request), request.params.id),
  );
  app.post(
    '/devices/:id/attributes/:scope',
    { preHandler: user, schema: { tags, summary: 'Set shared (for the device) or server attributes', params: S.ScopeParams, body: S.SetAttributesBody, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await devices.setAttributes(principalOf(request), request.params.id, request.params.scope, request.body);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/devices/:id/attributes/:scope',
    { preHandler: user, schema: { tags, summary: 'Remove shared or server attributes', params: S.ScopeParams, querystring: S.DeleteAttributesQuery, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      const keys = request.query.keys.split(',').map((k) => k.trim()).filter(Boolean);
      if (keys.length === 0) throw new AppError('QUERY_INVALID', 'keys must name at least one attribute');
      await devices.deleteAttributes(principalOf(request), request.params.id, request.params.scope, keys);
      return reply.code(204).send(null);
    },
  );
};
