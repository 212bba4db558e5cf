import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, NoBody } from '../../core/http-schemas.ts';
import type { AttributeUpdatesPoll, DevicesService } from '../devices/index.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './telemetry.contract.ts';
import type { IngestService } from './telemetry.ingest.ts';
import type { TelemetryService } from './telemetry.service.ts';
import type { Agg } from './telemetry.query.ts';

export function splitKeys(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const keys = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
  return keys.length === 0 ? undefined : keys;
}

/**
 * The device API of the ThingsBoard convention. Bodies are taken as raw bytes
 * whatever their content type (cheap firmware often sends none), and parsed by
 * the same code as MQTT messages.
 */
/** ms an attribute long poll waits when the device gives no timeout. */
const DEFAULT_POLL_MS = 20_000;

export const deviceApiRoutes: FastifyPluginAsyncTypebox<{ ingest: IngestService; devices: DevicesService; polls: AttributeUpdatesPoll; maxPayloadBytes: number }> = async (
  app,
  { ingest, devices, polls, maxPayloadBytes },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxPayloadBytes }, (_request, body, done) => done(null, body));
  const tags = ['device API'];
  const errors = { 400: Type.Ref('Error'), 401: Type.Ref('Error'), 413: Type.Ref('Error') };
  const body = Type.Unknown({ description: 'JSON: {"key":value,…}, {"ts":<ms>,"values":{…}}, or an array of either' });

  app.post(
    '/:token/telemetry',
    { schema: { tags, summary: 'A device sends telemetry (answered after the points are durable); an empty object {} stores nothing (a connection check)', params: S.TokenParams, body, response: { 200: NoBody('no body: the points are stored'), ...errors } } },
    async (request, reply) => {
      const device = await ingest.authenticate(request.params.token);
      await ingest.telemetry(device, bodyBytes(request.body));
      return reply.code(200).send();
    },
  );
  app.post(
    '/:token/attributes',
    { schema: { tags, summary: 'A device sends its client attributes', params: S.TokenParams, body, response: { 200: NoBody('no body: the points are stored'), ...errors } } },
    async (request, reply) => {
      const device = await ingest.authenticate(request.params.token);
      await ingest.attributes(device, bodyBytes(request.body));
      return reply.code(200).send();
    },
  );
  app.get(
    '/:token/attributes',
    { schema: { tags, summary: 'A device reads its client and shared attributes', params: S.TokenParams, querystring: S.AttributesRequestQuery, response: { 200: S.DeviceAttributesResponse, ...errors } } },
    async (request) => {
      const device = await ingest.authenticate(request.params.token);
      return devices.attributesForDevice(device, splitKeys(request.query.clientKeys), splitKeys(request.query.sharedKeys));
    },
  );
  app.get(
    '/:token/attributes/updates',
    {
      schema: {
        tags,
        summary: 'Long poll: answers the next change of the shared attributes ({"key":value,…} or {"deleted":[keys]}), or 408 with no body after the timeout',
        params: S.TokenParams,
        querystring: S.AttributeUpdatesQuery,
        response: { 200: Type.Record(Type.String(), Type.Unknown()), 408: NoBody('no body: no change before the timeout'), 429: Type.Ref('Error'), 503: Type.Ref('Error'), ...errors },
      },
    },
    async (request, reply) => {
      const device = await ingest.authenticate(request.params.token);
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const notice = await polls.wait(device.id, request.query.timeout || DEFAULT_POLL_MS, gone.signal);
      // ThingsBoard answers a poll that saw no change with 408 and no body; its SDKs poll again on it.
      if (notice === null) return reply.code(408).send();
      return notice;
    },
  );
};

function bodyBytes(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export const telemetryRoutes: FastifyPluginAsyncTypebox<{ telemetry: TelemetryService; identity: IdentityService }> = async (app, { telemetry, identity }) => {
  const user = requireUser(identity);
  const tags = ['telemetry'];
  app.get(
    '/devices/:id/latest',
    { preHandler: user, schema: { tags, summary: 'Latest value of each key (by timestamp)', params: S.DeviceIdParams, querystring: S.LatestQuery, response: { 200: S.LatestResponse, ...authErrors } } },
    async (request) => telemetry.latest(principalOf(request), request.params.id, splitKeys(request.query.keys)),
  );
  app.get(
    '/devices/:id/telemetry',
    { preHandler: user, schema: { tags, summary: 'Raw points or aggregates per interval', params: S.DeviceIdParams, querystring: S.SeriesQuery, response: { 200: S.SeriesResponse, ...authErrors } } },
    async (request) => {
      const { keys, agg, ...rest } = request.query;
      return telemetry.series(principalOf(request), request.params.id, { ...rest, agg: agg as Agg | undefined, keys: splitKeys(keys) });
    },
  );
  app.get(
    '/telemetry/latest',
    {
      preHandler: user,
      schema: { tags, summary: 'Latest values of every device of the region: {deviceId: {key: {ts, value}}}', querystring: S.LatestQuery, response: { 200: Type.Record(Type.String(), S.LatestResponse), ...authErrors } },
    },
    async (request) => telemetry.regionLatest(principalOf(request), splitKeys(request.query.keys)),
  );
  app.get(
    '/devices/:id/keys',
    { preHandler: user, schema: { tags, summary: 'Keys the device has sent', params: S.DeviceIdParams, response: { 200: Type.Array(Type.String()), ...authErrors } } },
    async (request) => telemetry.keys(principalOf(request), request.params.id),
  );
};
