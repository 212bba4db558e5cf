import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { INCIDENT_STATUSES, MAX_REPLY, type IncidentStatus, type PublicIncident, type PublicUpdateKind } from '../incidents/index.ts';
import type { IpLimiter } from './open311.routes.ts';
import { readPhoto } from './photos.service.ts';
import type { RegionBounds } from './region-bounds.ts';
import type { ReportsService } from './reports.service.ts';

export interface PublicRoutesOptions {
  reports: ReportsService;
  identity: IdentityService;
  bounds: RegionBounds;
  tileUrl: string | null;
  /** the per-address limiter shared by every public POST (GETs are not counted) */
  ipLimit: IpLimiter;
}

const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('public'), Type.Literal('app')]),
  prefix: Type.String({ description: 'first characters of the key; the key itself is shown once, at creation' }),
  createdAt: Type.Number(),
  revokedAt: Type.Union([Type.Number(), Type.Null()]),
  lastUsedAt: Type.Union([Type.Number(), Type.Null()]),
});

const PublicConfig = Type.Object({
  regionName: Type.String(),
  regionCode: Type.String(),
  publicApiKey: Type.String({ description: 'the public page\'s own Open311 key' }),
  tileUrl: Type.Union([Type.String(), Type.Null()]),
  center: Type.Tuple([Type.Number(), Type.Number()], { description: '[lat, lon]' }),
  bounds: Type.Union([Type.Tuple([Type.Tuple([Type.Number(), Type.Number()]), Type.Tuple([Type.Number(), Type.Number()])]), Type.Null()], { description: '[[south, west], [north, east]]' }),
});

const PUBLIC_UPDATE_KINDS = ['created', 'status', 'update', 'merged', 'duplicate_of', 'reporter_reply', 'auto_closed'] as const satisfies readonly PublicUpdateKind[];
// A compile error here names a kind of incidents.types.ts that the list leaves out.
({}) satisfies Record<Exclude<PublicUpdateKind, (typeof PUBLIC_UPDATE_KINDS)[number]>, never>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * A report as the ticket page shows it: every field of PublicIncident and
 * nothing else. Fastify's serializer drops what the schema does not name, so
 * no name, phone, email or internal note can leave through this answer.
 */
const PublicTicket = Type.Object({
  ticket: Type.String({ description: 'the ticket asked for, e.g. MR-000123' }),
  categoryCode: Type.String(),
  categoryNameId: Type.String(),
  categoryNameEn: Type.String(),
  status: Type.Unsafe<IncidentStatus>({ type: 'string', enum: [...INCIDENT_STATUSES] }),
  publicStatus: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  description: Type.String(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  agency: Nullable(Type.String({ description: 'the OPD handling it' })),
  requestedAt: Type.Number({ description: 'ms since epoch, UTC' }),
  updatedAt: Type.Number({ description: 'ms since epoch, UTC' }),
  expectedAt: Nullable(Type.Number({ description: 'ms since epoch, UTC: when the current stage (routing, follow-up) is due' })),
  mediaUrl: Nullable(Type.String()),
  updates: Type.Array(
    Type.Object({
      at: Type.Number({ description: 'ms since epoch, UTC' }),
      kind: Type.Unsafe<PublicUpdateKind>({
        type: 'string',
        enum: [...PUBLIC_UPDATE_KINDS],
        description: "created, status (a change of status), update (the agency's public answer), merged (another report merged into this one), duplicate_of (this one merged into another), reporter_reply (the reporter's answer), auto_closed (closed because the reporter did not answer within the working days the category allows after the resolution)",
      }),
      text: Nullable(Type.String({ description: 'the words as written; null for merges: the page words them from kind and ticket' })),
      status: Nullable(Type.Unsafe<IncidentStatus>({ type: 'string', enum: [...INCIDENT_STATUSES], description: 'created, status: the status it went to' })),
      ticket: Nullable(Type.String({ description: 'merged: the report merged into this one; duplicate_of: the report this one now follows' })),
    }),
    { description: 'the public lines of the timeline, oldest first; never an internal note' },
  ),
  mergedIntoTicket: Nullable(Type.String({ description: 'set when the report was merged into another (it is then closed): the ticket whose handling it now follows' })),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The schema names exactly the fields of PublicIncident: a field added to one and not the other is a compile error.
true satisfies Same<Static<typeof PublicTicket>, PublicIncident>;

const Photo = Type.Object({ id: Type.String(), url: Type.String(), contentType: Type.String(), bytes: Type.Number(), width: Type.Number(), height: Type.Number() });

/** The reporter's answer: their code, the text (stored and shown as data), and on a resolved report whether it is still not fixed. */
const Reply = Type.Object({
  secret: Type.String({ minLength: 1, maxLength: 200, description: 'the code shown to the reporter when they filed (erase_secret)' }),
  text: Type.String({ minLength: 1, maxLength: MAX_REPLY, description: `the answer, trimmed; at most ${MAX_REPLY} characters; shown publicly on the ticket page` }),
  reopen: Type.Optional(Type.Boolean({ description: 'on a resolved report: true = not fixed yet, back to in progress; false (default) = it is fixed, the report is closed. On any other report: no change of status' })),
});

/** /api/v1: the public page's config, photos, the ticket page, the reporter's answers and erasure, and admins' Open311 keys. */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, { reports, identity, bounds, tileUrl, ipLimit }) => {
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
    return {
      regionName: region.name,
      regionCode: region.code,
      publicApiKey: await reports.keys.ensurePublicKey(region.id),
      tileUrl,
      center: (b ? [(b.south + b.north) / 2, (b.west + b.east) / 2] : [-2.5, 118]) as [number, number],
      bounds: (b ? [[b.south, b.west], [b.north, b.east]] : null) as [[number, number], [number, number]] | null,
    };
  });

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
    { schema: { tags: ['public'], summary: 'A report photo (JPEG)', security: [], params: Type.Object({ id: Type.String() }), response: { 304: Type.Null(), 404: Type.Ref('Error') } } },
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
        params: Type.Object({ ticket: Type.String({ maxLength: 64 }) }),
        response: { 200: PublicTicket, 400: Type.Ref('Error'), 404: Type.Ref('Error') },
      },
    },
    async (request) => reports.byTicket(await reports.region(), request.params.ticket),
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
        params: Type.Object({ ticket: Type.String({ maxLength: 64 }) }),
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
        params: Type.Object({ ticket: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ secret: Type.String({ minLength: 1, maxLength: 200 }) }),
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
    { preHandler: admin, schema: { tags: keyTags, summary: 'Issue an API key for an Open311 app (the key is shown once)', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }), response: { 201: Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]), ...authErrors } } },
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
