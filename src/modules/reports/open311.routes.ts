import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { AppError, isAppError } from '../../core/errors.ts';
import { assertStorableText } from '../../core/input.ts';
import { isStorageUnavailable } from '../../platform/db/index.ts';
import { requestFailureOf, type RequestFailure } from '../../platform/http/plugin-errors.ts';
import type { KeyHolder } from './keys.service.ts';
import { readPhoto } from './photos.service.ts';
import { CHANGESET, SPEC_URL, errorList, toRequest, toService, toServiceDefinition, toXml, type Lang } from './open311.format.ts';
import type { Fields, ReportsService } from './reports.service.ts';
import { JurisdictionQuery, Open311Created, Open311Discovery, Open311Errors, Open311Request, Open311Service, Open311ServiceDefinition, Open311Token, RequestsQuery } from './reports.contract.ts';

export interface Open311RoutesOptions {
  reports: ReportsService;
  /** the per-address limiter shared by every public POST (app.createRateLimit) */
  ipLimit: IpLimiter;
  /** POSTs per minute for one app key */
  keyLimit: number;
  contact: string;
}

export type IpLimiter = ReturnType<FastifyInstance['createRateLimit']>;

const tags = ['open311'];
const SUFFIXES = ['', '.json', '.xml'];
const FORMAT_SUFFIX = /\.(json|xml)$/;

/** Every error an Open311 route may answer, in the spec's list (as XML on the .xml routes). */
const ERROR_STATUSES = [400, 403, 404, 413, 414, 415, 429, 503] as const;

/**
 * The documented answers of an Open311 route: the success (JSON, or XML for
 * `.xml`, or either for `{id}.json|.xml` paths) and the spec's error list.
 */
function answers(ext: string, ok: TSchema, okStatus = 200, description = 'OK') {
  const xml = { schema: Type.String({ description: 'the same data as XML, as the spec writes it' }) };
  const content = (schema: TSchema) => (ext === '.xml' ? { 'text/xml': xml } : ext === '' || ext === '.json' ? { 'application/json': { schema } } : { 'application/json': { schema }, 'text/xml': xml });
  const errors = Object.fromEntries(ERROR_STATUSES.map((status) => [status, { description: 'GeoReport v2 error list', content: content(Open311Errors) }]));
  return { [okStatus]: { description, content: content(ok) }, ...errors };
}

const isXml = (request: FastifyRequest) => request.url.split('?')[0]!.endsWith('.xml');
const langOf = (request: FastifyRequest): Lang => {
  const q = (request.query as { lang?: string } | undefined)?.lang;
  if (q === 'en' || q === 'id') return q;
  return /^en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'id';
};
const baseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function send(request: FastifyRequest, reply: FastifyReply, status: number, data: unknown, root: string, item?: string) {
  // Public data and keys sent in the body, no cookies: any site or app may call it.
  reply.code(status).header('cache-control', 'no-store').header('access-control-allow-origin', '*');
  if (isXml(request)) return reply.type('text/xml; charset=utf-8').send(toXml(data, root, item));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(data));
}

/**
 * Open311 GeoReport v2 under /open311/v2: JSON with or without `.json`, XML
 * with `.xml`, errors as `[{"code":…,"description":…}]`.
 */
export const open311Routes: FastifyPluginAsyncTypebox<Open311RoutesOptions> = async (app, { reports, ipLimit, keyLimit, contact }) => {
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyMultipart, { limits: { fileSize: reports.photos.maxBytes, files: 1, fields: 100, fieldSize: 8 * 1024, parts: 101 } });

  const perIp = ipLimit;
  const keyIds = new WeakMap<FastifyRequest, string>();
  const perKey = app.createRateLimit({ max: keyLimit, timeWindow: 60_000, keyGenerator: (request) => `key:${keyIds.get(request) ?? ''}` });
  const limited = (ttlMs: number) => Object.assign(new AppError('RATE_LIMITED', `too many reports; try again in ${Math.ceil(ttlMs / 1000)} s`), { ttl: ttlMs });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let status: number;
    let description: string;
    let failure: RequestFailure | null;
    if (isAppError(error)) {
      status = error.status;
      description = error.message;
    } else if (error.validation) {
      status = 400;
      description = error.message;
    } else if ((failure = requestFailureOf(error))) {
      // The body parser's and the plugins' errors, said for Open311's own bodies.
      status = failure.status;
      description =
        status === 413
          ? `the request or its photo is too large (a photo may have at most ${Math.round(reports.photos.maxBytes / 1024 / 1024)} MB)`
          : status === 415
            ? 'send application/x-www-form-urlencoded, multipart/form-data or JSON'
            : failure.message;
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      description = error.message;
    } else if (isStorageUnavailable(error)) {
      // As the platform's own handler answers it: the client may try again.
      request.log.error({ err: error, req: request }, 'storage unavailable');
      status = 503;
      description = 'the database is not answering right now; try again shortly';
      reply.header('retry-after', '5');
    } else {
      request.log.error({ err: error, req: request }, 'open311 request failed');
      status = 500;
      description = 'an internal error occurred; it has been logged';
    }
    if (status === 429) reply.header('retry-after', Math.ceil(((error as { ttl?: number }).ttl ?? 60_000) / 1000));
    return send(request, reply, status, errorList(status, description), 'errors', 'error');
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, errorList(404, `no Open311 endpoint ${request.method} ${request.url.split('?')[0]}`), 'errors', 'error'));

  for (const ext of SUFFIXES) {
    app.get(`/discovery${ext}`, { schema: { tags, summary: 'Open311 discovery: the endpoints and formats', security: [], response: answers(ext, Open311Discovery) } }, async (request, reply) => {
      const base = `${baseOf(request)}/open311/v2`;
      return send(request, reply, 200, {
        changeset: CHANGESET,
        contact,
        key_service: `Ask the region's admin for an API key (POST /api/v1/open311/keys)`,
        endpoints: [{ specification: SPEC_URL, url: base, changeset: CHANGESET, type: 'production', formats: ['application/json', 'text/xml'] }],
      }, 'discovery');
    });

    app.get(`/services${ext}`, { schema: { tags, summary: 'Services (report categories) of the jurisdiction', security: [], querystring: JurisdictionQuery, response: answers(ext, Type.Array(Open311Service)) } }, async (request, reply) => {
      const region = await reports.region(request.query.jurisdiction_id);
      const lang = langOf(request);
      return send(request, reply, 200, (await reports.services(region)).map((c) => toService(c, lang)), 'services', 'service');
    });

    app.get(
      `/requests${ext}`,
      {
        schema: {
          tags,
          summary: 'Service requests, newest first: by id, or by service, dates (default the last 90 days) and status; at most 1000',
          security: [],
          querystring: RequestsQuery,
          response: answers(ext, Type.Array(Open311Request)),
        },
      },
      async (request, reply) => {
        const region = await reports.region(request.query.jurisdiction_id);
        const lang = langOf(request);
        const base = baseOf(request);
        return send(request, reply, 200, (await reports.list(region, request.query)).map((r) => toRequest(r, lang, base)), 'service_requests', 'request');
      },
    );

    app.post(
      `/requests${ext}`,
      {
        schema: {
          tags,
          summary: 'File a service request (form-encoded as the spec writes it; multipart with a `media` photo, or JSON)',
          description:
            'Fields: api_key (required), jurisdiction_id, service_code, lat+long or address_string or address_id, attribute[code]=value, attribute[code][]=value for multivaluelist, ' +
            'description, media_url, photo_id (ids from POST /api/v1/photos), email, device_id, account_id, first_name, last_name, phone, ' +
            'notify (whatsapp, sms or email: the reporter is told on that phone or email when the report is routed, worked on, resolved or rejected, in the language of the request, each message with a stop link; a phone that cannot be a mobile is 400). Personal fields are never shown publicly. ' +
            'Answers 201 Created (the spec names no status; any GeoReport v2 client takes a 2xx).',
          security: [],
          consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
          response: answers(ext, Open311Created, 201, 'Created: the ticket (service_request_id), its token and the reporter\'s code'),
        },
        onRequest: async (request) => {
          const r = await perIp(request);
          if (!r.isAllowed && r.isExceeded) throw limited(r.ttl);
        },
      },
      async (request, reply) => {
        let fields: Fields;
        let media: Buffer | null = null;
        if (request.isMultipart()) {
          fields = {};
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'media') {
                part.file.resume();
                throw new AppError('VALIDATION_FAILED', `unexpected file field "${part.fieldname}"; send the photo as "media"`);
              }
              media = await readPhoto(part, reports.photos.maxBytes);
            } else {
              const value = String(part.value);
              // Multipart fields are read here, after the app's preValidation rule has run: the same rule, by hand.
              assertStorableText({ [part.fieldname]: value }, 'body');
              const prev = fields[part.fieldname];
              fields[part.fieldname] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
            }
          }
        } else fields = flatten(request.body);

        const region = await reports.region(first(fields.jurisdiction_id));
        const holder: KeyHolder = await reports.keys.check(region.id, first(fields.api_key));
        if (holder.kind === 'app') {
          keyIds.set(request, holder.id);
          const r = await perKey(request);
          if (!r.isAllowed && r.isExceeded) throw limited(r.ttl);
        }
        const lang = langOf(request);
        const filed = await reports.file(region, holder, fields, media, lang);
        const notice =
          lang === 'en'
            ? `Report received. Keep your ticket number ${filed.ticket} to follow it.`
            : `Laporan diterima. Simpan nomor tiket ${filed.ticket} untuk memantaunya.`;
        return send(request, reply, 201, [{ service_request_id: filed.ticket, service_notice: notice, account_id: null, token: filed.token, erase_secret: filed.eraseSecret }], 'service_requests', 'request');
      },
    );
  }

  app.get(`/tokens/:token`, { schema: { tags, summary: 'The service_request_id of a token', security: [], params: Type.Object({ token: Type.String() }), querystring: JurisdictionQuery, response: answers('{id}', Open311Token) } }, async (request, reply) => {
    const region = await reports.region(request.query.jurisdiction_id);
    return send(request, reply, 200, [await reports.token(region, request.params.token.replace(FORMAT_SUFFIX, ''))], 'service_requests', 'request');
  });

  // `{code}.json` / `{code}.xml`: the suffix is taken off the parameter.
  app.get(`/services/:code`, { schema: { tags, summary: 'A service definition: its attributes', security: [], params: Type.Object({ code: Type.String() }), querystring: JurisdictionQuery, response: answers('{id}', Open311ServiceDefinition) } }, async (request, reply) => {
    const region = await reports.region(request.query.jurisdiction_id);
    const category = await reports.service(region, request.params.code.replace(FORMAT_SUFFIX, ''));
    return send(request, reply, 200, toServiceDefinition(category, langOf(request)), 'service_definition');
  });
  app.get(`/requests/:id`, { schema: { tags, summary: 'One service request by its id (the ticket number)', security: [], params: Type.Object({ id: Type.String() }), querystring: JurisdictionQuery, response: answers('{id}', Type.Array(Open311Request)) } }, async (request, reply) => {
    const region = await reports.region(request.query.jurisdiction_id);
    const found = await reports.byTicket(region, request.params.id.replace(FORMAT_SUFFIX, ''));
    return send(request, reply, 200, [toRequest(found, langOf(request), baseOf(request))], 'service_requests', 'request');
  });
};

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** A form or JSON body as flat fields; JSON `attribute: {code: v}` becomes `attribute[code]`. */
function flatten(body: unknown): Fields {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', 'the body must be form fields or a JSON object');
  const out: Fields = {};
  const scalar = (v: unknown, name: string): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new AppError('VALIDATION_FAILED', `${name} must be text`);
  };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (k === 'attribute' && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, value] of Object.entries(v as Record<string, unknown>)) {
        if (Array.isArray(value)) out[`attribute[${code}][]`] = value.map((x) => scalar(x, `attribute[${code}]`));
        else if (value !== null && value !== undefined) out[`attribute[${code}]`] = scalar(value, `attribute[${code}]`);
      }
    } else if (Array.isArray(v)) out[k] = v.map((x) => scalar(x, k));
    else out[k] = scalar(v, k);
  }
  return out;
}
