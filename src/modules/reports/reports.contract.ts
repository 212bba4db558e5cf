/**
 * The contract of public reporting (the ticket page, photos, the public page's
 * config, Open311 keys and queries): TypeBox schemas, the types derived from
 * them and constants. No server-only import, so the web app may read it.
 * The public view of a report is incidents' PublicIncident (that module's contract).
 */
import { Type, type Static, type TSchema } from 'typebox';
import { MAX_REPLY, PublicIncident } from '../incidents/incidents.contract.ts';

export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('public'), Type.Literal('app')]),
  prefix: Type.String({ description: 'first characters of the key; the key itself is shown once, at creation' }),
  createdAt: Type.Number(),
  revokedAt: Type.Union([Type.Number(), Type.Null()]),
  lastUsedAt: Type.Union([Type.Number(), Type.Null()]),
});

/**
 * A pair of numbers, typed as a tuple. Written as an array of exactly two: TypeBox's
 * Tuple emits draft-07 `items: [..]` with `additionalItems`, which JSON Schema 2020-12
 * (OpenAPI 3.1) does not have, so the served document was invalid.
 */
const Pair = (description?: string) => Type.Unsafe<[number, number]>(Type.Array(Type.Number(), { minItems: 2, maxItems: 2, ...(description !== undefined && { description }) }));

export const PublicConfig = Type.Object({
  regionName: Type.String(),
  regionCode: Type.String(),
  publicApiKey: Type.String({ description: 'the public page\'s own Open311 key' }),
  tileUrl: Type.Union([Type.String(), Type.Null()]),
  basemapUrl: Type.Union([Type.String(), Type.Null()], { description: 'the offline base map (PMTiles) the platform serves, or null' }),
  center: Pair('[lat, lon]'),
  bounds: Type.Union([Type.Unsafe<[[number, number], [number, number]]>(Type.Array(Pair(), { minItems: 2, maxItems: 2 })), Type.Null()], { description: '[[south, west], [north, east]]' }),
});

export const ApiKeyBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });
export const CreatedApiKey = Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]);

/**
 * A report as the ticket page shows it: every field of PublicIncident and
 * nothing else. Fastify's serializer drops what the schema does not name, so
 * no name, phone, email or internal note can leave through this answer.
 */
export const PublicTicket = PublicIncident;
export const TicketParams = Type.Object({ ticket: Type.String({ maxLength: 64 }) });
export const EraseBody = Type.Object({ secret: Type.String({ minLength: 1, maxLength: 200 }) });

export const Photo = Type.Object({ id: Type.String(), url: Type.String(), contentType: Type.String(), bytes: Type.Number(), width: Type.Number(), height: Type.Number() });

/** The reporter's answer: their code, the text (stored and shown as data), and on a resolved report whether it is still not fixed. */
export const Reply = Type.Object({
  secret: Type.String({ minLength: 1, maxLength: 200, description: 'the code shown to the reporter when they filed (erase_secret)' }),
  text: Type.String({ minLength: 1, maxLength: MAX_REPLY, description: `the answer, trimmed; at most ${MAX_REPLY} characters; shown publicly on the ticket page` }),
  reopen: Type.Optional(Type.Boolean({ description: 'on a resolved report: true = not fixed yet, back to in progress; false (default) = it is fixed, the report is closed. On any other report: no change of status' })),
});

// Open311 GeoReport v2

export const JurisdictionQuery = Type.Object({
  jurisdiction_id: Type.Optional(Type.String({ maxLength: 100, description: 'the region\'s Kemendagri code, e.g. 16.05; optional' })),
  lang: Type.Optional(Type.String({ description: 'id (default) or en' })),
});
export const RequestsQuery = Type.Object({
  ...JurisdictionQuery.properties,
  service_request_id: Type.Optional(Type.String({ maxLength: 20_000 })),
  service_code: Type.Optional(Type.String({ maxLength: 2000 })),
  start_date: Type.Optional(Type.String({ maxLength: 40 })),
  end_date: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(Type.String({ maxLength: 40 })),
});

// The types derived from the schemas.

export type ApiKey = Static<typeof ApiKey>;
export type ApiKeyKind = ApiKey['kind'];
/** A key just issued: the key itself is shown this once. */
export type CreatedApiKey = Static<typeof CreatedApiKey>;
export type PublicConfig = Static<typeof PublicConfig>;
export type Photo = Static<typeof Photo>;
export type ReporterReply = Static<typeof Reply>;
export type JurisdictionQuery = Static<typeof JurisdictionQuery>;
export type RequestsQuery = Static<typeof RequestsQuery>;

// Open311 GeoReport v2 answers, as open311.format.ts writes them (JSON; the `.xml` routes send the same as XML).

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The spec's error list, every Open311 error: `[{"code":400,"description":"…"}]`. */
export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer({ description: 'the HTTP status' }), description: Type.String() }), {
  minItems: 1,
  description: 'GeoReport v2 errors',
});

export const Open311Discovery = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(Type.Object({ specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()) })),
});

export const Open311Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Nullable(Type.String()),
  metadata: Type.Boolean(),
  type: Type.Literal('realtime'),
  keywords: Type.String({ description: 'comma-separated' }),
  group: Nullable(Type.String()),
});

export const Open311ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: Type.String(),
      datatype: Type.String({ description: 'string, number, datetime, text, singlevaluelist or multivaluelist' }),
      required: Type.Boolean(),
      datatype_description: Nullable(Type.String()),
      order: Type.Integer(),
      description: Type.String(),
      values: Type.Optional(Type.Array(Type.Object({ key: Type.String(), name: Type.String() }))),
    }),
  ),
});

export const Open311Request = Type.Object({
  service_request_id: Type.String({ description: 'the ticket number' }),
  status: Type.String({ description: 'open or closed' }),
  status_notes: Nullable(Type.String()),
  service_name: Nullable(Type.String()),
  service_code: Nullable(Type.String()),
  description: Nullable(Type.String()),
  agency_responsible: Nullable(Type.String()),
  service_notice: Type.Null(),
  requested_datetime: Nullable(Type.String()),
  updated_datetime: Nullable(Type.String()),
  expected_datetime: Nullable(Type.String()),
  address: Nullable(Type.String()),
  address_id: Nullable(Type.String()),
  zipcode: Type.Null(),
  lat: Nullable(Type.Number()),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String()),
});

/** What POST /requests answers (201): the ticket, the token, and the reporter's own code (shown once). */
export const Open311Created = Type.Array(
  Type.Object({
    service_request_id: Type.String(),
    service_notice: Type.String(),
    account_id: Type.Null(),
    token: Type.String(),
    erase_secret: Type.String({ description: "the reporter's code: to answer on the ticket page or erase their personal data; shown once" }),
  }),
);

export const Open311Token = Type.Array(Type.Object({ service_request_id: Type.String(), token: Type.String() }));

// The types of these answers, for the public reporting page (`import type`: no schema is bundled).
export type Open311Service = Static<typeof Open311Service>;
export type Open311ServiceDefinition = Static<typeof Open311ServiceDefinition>;
export type Open311Attribute = Open311ServiceDefinition['attributes'][number];
export type Open311Request = Static<typeof Open311Request>;
export type Open311Created = Static<typeof Open311Created>;
