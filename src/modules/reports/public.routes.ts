import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, FileResponse } from '../../core/http-schemas.ts';
import { Layer, principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import type { IpLimiter } from './open311.routes.ts';
import { readPhoto } from './photos.service.ts';
import type { RegionBounds } from './region-bounds.ts';
import type { ReportsService } from './reports.service.ts';
import { ApiKey, ApiKeyBody, CreatedApiKey, EraseBody, Photo, PublicConfig, PublicTicket, Reply, TicketParams } from './reports.contract.ts';

export interface PublicRoutesOptions {
  reports: ReportsService;
  identity: IdentityService;
  bounds: RegionBounds;
  tileUrl: string | null;
  basemapUrl: string | null;
  /** the per-address limiter shared by every public POST (GETs are not counted) */
  ipLimit: IpLimiter;
}

/** /api/v1: the public page's config, photos, the ticket page, the reporter's answers and erasure, and admins' Open311 keys. */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, { reports, identity, bounds, tileUrl, basemapUrl, ipLimit }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: reports.photos.maxBytes, files: 1, fields: 10, parts: 11 } });
  const perIp = ipLimit;
  const limitIp = async (request: FastifyRequest) => {
    const r = await perIp(request);
    if (!r.isAllowed && r.isExceeded) throw Object.assign(new AppError('RATE_LIMITED', `too many requests; try again in ${Math.ceil(r.ttl / 1000)} s`), { statusCode: 429 });
  };
  const admin = requireUser(identity, ['admin']);
  const errors = { 400: Type.Ref('Error'), 404: Type.Ref('Error'), 413: Type.Ref('Error'), 429: Type.Ref('Error') };

  app.get('/public/config', { schema: { tags: ['public'], summary: 'What the public reporting page needs: region, its key, map tiles, centre and bounds', security: [], response: { 200: PublicConfig } } }, async () => {
    const region = await reports.region();
    const shape = await bounds.shape(region.id, region.code);
    const b = shape.bbox;
    const config: PublicConfig = {
      regionName: region.name,
      regionCode: region.code,
      publicApiKey: await reports.keys.ensurePublicKey(region.id),
      tileUrl,
      basemapUrl,
      center: b ? [(b.south + b.north) / 2, (b.west + b.east) / 2] : [-2.5, 118],
      bounds: b ? [[b.south, b.west], [b.north, b.east]] : null,
    };
    return config;
  });

  // The base map of the public pages: fetched only when a map is shown; unchanged layers answer 304.
  app.get(
    '/public/layers',
    { schema: { tags: ['public'], summary: "The region's base-map layers (regency, kecamatan, rivers, roads) for the public maps, each with its attribution", security: [], response: { 200: Type.Array(Layer), 304: Type.Null({ description: 'not modified (If-None-Match)' }) } } },
    async (request, reply) => {
      const region = await reports.region();
      const layers = await identity.baseLayers(region.id);
      const etag = `"${layers.map((l) => `${l.key}.${l.updatedAt.toString(36)}`).join('-') || 'none'}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      return layers;
    },
  );

  app.post(
    '/photos',
    {
      onRequest: limitIp,
      schema: {
        tags: ['public'],
        summary: 'Upload a report photo (multipart field `photo`): checked from its bytes, re-encoded as JPEG without EXIF/GPS',
        security: [],
        consumes: ['multipart/form-data'],
        response: { 201: Photo, ...errors },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the photo as multipart/form-data, field "photo"');
      const part = await request.file();
      if (!part || part.fieldname !== 'photo') {
        part?.file.resume();
        throw new AppError('VALIDATION_FAILED', 'send the photo in the multipart field "photo"');
      }
      const bytes = await readPhoto(part, reports.photos.maxBytes);
      const region = await reports.region();
      return reply.code(201).send(await reports.photos.accept(region.id, bytes, null));
    },
  );

  app.get(
    '/photos/:id',
    { schema: { tags: ['public'], summary: 'A report photo (JPEG)', security: [], params: Type.Object({ id: Type.String() }), response: { 200: FileResponse('the photo, re-encoded as JPEG without EXIF', ['image/jpeg']), 304: Type.Null({ description: 'not modified (If-None-Match)' }), 404: Type.Ref('Error') } } },
    async (request, reply) => {
      const photo = await reports.photos.read(request.params.id);
      const etag = `"${photo.sha256.slice(0, 32)}"`;
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag).header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      return reply.type(photo.contentType).send(photo.data);
    },
  );

  // The ticket page: no onRequest limitIp, reading is not counted against an address's reports.
  app.get(
    '/public/tickets/:ticket',
    {
      schema: {
        tags: ['public'],
        summary: 'A report by its ticket number: status and public updates, without personal data',
        security: [],
        params: TicketParams,
        response: { 200: PublicTicket, 400: Type.Ref('Error'), 404: Type.Ref('Error') },
      },
    },
    async (request) => reports.byTicket(await reports.region(), request.params.ticket, 'ticket'),
  );

  app.post(
    '/public/tickets/:ticket/reply',
    {
      onRequest: limitIp,
      schema: {
        tags: ['public'],
        summary: "The reporter answers on their ticket, with the code shown when they filed; on a resolved report `reopen` says it is not fixed yet",
        description:
          'Adds a public line to the timeline. On a resolved report, reopen=true puts it back in progress (a new follow-up deadline for the agency); otherwise the reporter confirms it is fixed and the report is closed. On a report that is not resolved, the answer changes no status. ' +
          'A wrong code (or one spent by erasing the personal data) is 403; a closed, rejected or merged report takes no answer (409).',
        security: [],
        params: TicketParams,
        body: Reply,
        response: { 200: PublicTicket, 400: Type.Ref('Error'), 403: Type.Ref('Error'), 404: Type.Ref('Error'), 409: Type.Ref('Error'), 429: Type.Ref('Error') },
      },
    },
    async (request) => {
      const { secret, text, reopen } = request.body;
      return reports.reply(await reports.region(), request.params.ticket, secret, { text, reopen: reopen ?? false });
    },
  );

  app.post(
    '/public/tickets/:ticket/erase',
    {
      onRequest: limitIp,
      schema: {
        tags: ['public'],
        summary: "The reporter asks for their name, phone and email to be erased (UU PDP 27/2022), with the secret shown when they filed",
        security: [],
        params: TicketParams,
        body: EraseBody,
        response: { 204: Type.Null(), 400: Type.Ref('Error'), 403: Type.Ref('Error'), 404: Type.Ref('Error'), 429: Type.Ref('Error') },
      },
    },
    async (request, reply) => {
      await reports.erase(await reports.region(), request.params.ticket, request.body.secret);
      return reply.code(204).send(null);
    },
  );

  const keyTags = ['open311'];
  app.post(
    '/open311/keys',
    { preHandler: admin, schema: { tags: keyTags, summary: 'Issue an API key for an Open311 app (the key is shown once)', body: ApiKeyBody, response: { 201: CreatedApiKey, ...authErrors } } },
    async (request, reply) => reply.code(201).send(await reports.keys.create(principalOf(request), request.body.name)),
  );
  app.get('/open311/keys', { preHandler: admin, schema: { tags: keyTags, summary: 'API keys of the region, revoked ones too', response: { 200: Type.Array(ApiKey), ...authErrors } } }, async (request) =>
    reports.keys.list(principalOf(request)),
  );
  app.delete(
    '/open311/keys/:id',
    { preHandler: admin, schema: { tags: keyTags, summary: 'Revoke an API key: its reports stay, new ones are refused', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await reports.keys.revoke(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
