/**
 * The contract of public reporting (the ticket page, photos, the public page's
 * config, Open311 keys and queries): TypeBox schemas, the types derived from
 * them and constants. No server-only import, so the web app may read it.
 * The public view of a report is incidents' PublicIncident (that module's contract).
 */
import { Type } from 'typebox';
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

export const PublicConfig = Type.Object({
  regionName: Type.String(),
  regionCode: Type.String(),
  publicApiKey: Type.String({ description: 'the public page\'s own Open311 key' }),
  tileUrl: Type.Union([Type.String(), Type.Null()]),
  center: Type.Tuple([Type.Number(), Type.Number()], { description: '[lat, lon]' }),
  bounds: Type.Union([Type.Tuple([Type.Tuple([Type.Number(), Type.Number()]), Type.Tuple([Type.Number(), Type.Number()])]), Type.Null()], { description: '[[south, west], [north, east]]' }),
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
