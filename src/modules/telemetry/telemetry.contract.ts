/**
 * Telemetry's contract: TypeBox schemas of the API (the device API and the
 * operators' reads) and the types derived from them, for routes, services and
 * the web app (`import type`).
 */
import { Type, type Static } from 'typebox';
import { Id } from '../../core/http-schemas.ts';

export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 256, description: "the device's access token" }) });
export const DeviceIdParams = Type.Object({ id: Id });

const Keys = Type.String({ maxLength: 10_000, description: 'comma-separated keys; all keys when absent' });

export const LatestQuery = Type.Object({ keys: Type.Optional(Keys) });

export const SeriesQuery = Type.Object({
  keys: Type.Optional(Keys),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'start (inclusive): ms since epoch or ISO 8601; default 24 h before `to`' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'end (exclusive): ms since epoch or ISO 8601; default now' })),
  interval: Type.Optional(Type.String({ maxLength: 12, description: 'bucket length: 30s, 5m, 1h, 1d, 1w or 1mo (calendar months); aligned to local midnight in `tz`' })),
  agg: Type.Optional(Type.Union(['none', 'avg', 'min', 'max', 'sum', 'count'].map((a) => Type.Literal(a)), { description: 'none (raw points) or an aggregate per interval' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, description: 'raw points only: return at most this many' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'raw points only: oldest (asc, default) or newest first' })),
  tz: Type.Optional(Type.String({ maxLength: 64, description: "IANA zone for day and month buckets; the region's by default (Asia/Jakarta)" })),
});

export const PointSchema = Type.Object({ ts: Type.Number({ description: 'ms since epoch, UTC' }), value: Type.Unknown() });
export const LatestPointSchema = Type.Object({
  ts: Type.Number({ description: 'ms since epoch, UTC' }),
  value: Type.Unknown(),
  outOfRange: Type.Optional(Type.Union([Type.Literal('above'), Type.Literal('below')], { description: "only when the value lies outside its device profile's expected range (it is stored as sent)" })),
});
/** A latest value; `outOfRange`: outside the range its profile expects (stored as sent, flagged). */
export type LatestPoint = Static<typeof LatestPointSchema>;
export const LatestResponse = Type.Record(Type.String(), LatestPointSchema, { description: '{"<key>":{"ts","value","outOfRange"?}}' });
/** A device's latest values by key. */
export type LatestValues = Static<typeof LatestResponse>;
export const SeriesResponse = Type.Record(Type.String(), Type.Array(PointSchema), { description: '{"<key>":[{"ts","value"},…]}' });

export const AttributesRequestQuery = Type.Object({
  clientKeys: Type.Optional(Type.String({ maxLength: 10_000 })),
  sharedKeys: Type.Optional(Type.String({ maxLength: 10_000 })),
});
export const AttributeUpdatesQuery = Type.Object({
  timeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000, description: 'ms to wait for a change (default 20,000; at most 60,000: a longer wait is shortened)' })),
});
export const DeviceAttributesResponse = Type.Object({ client: Type.Record(Type.String(), Type.Unknown()), shared: Type.Record(Type.String(), Type.Unknown()) });
