/**
 * The contract of identity: the TypeBox schemas of its API, the types derived
 * from them and its pure constants (roles, positions, re-exported from
 * identity.constants.ts, which the web app imports without bundling any schema).
 * Routes, services and the web app use it; no server-only import.
 */
import { Type, type Static } from 'typebox';
import { Id } from '../../core/http-schemas.ts';
import { POSITIONS, type Position } from './identity.constants.ts';

export * from './identity.constants.ts';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('viewer')], {
  description: 'admin: runs the platform; operator: acts for one OPD; viewer: reads',
});
export const PositionSchema = Type.Unsafe<Position>({
  type: 'string',
  enum: [...POSITIONS],
  description: 'jabatan: staf, kasi (Kepala Seksi), kabid (Kepala Bidang), sekretaris, kepala (Kepala Dinas / Kalaksa BPBD), sekda (Sekretaris Daerah), bupati',
});
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$', description: 'email address, used to log in' });
const Password = Type.String({
  minLength: 8,
  maxLength: 200,
  description: 'at least 8 characters, no composition rules; refused (PASSWORD_WEAK) when easy to guess: common passwords, words, names, the person\'s own email or name, the region',
});

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  opdId: Type.Union([Id, Type.Null()], { description: 'the OPD an operator acts for' }),
  position: Type.Union([PositionSchema, Type.Null()], { description: 'jabatan; null when not given' }),
  disabled: Type.Boolean(),
  lastLoginAt: Type.Union([Type.Number(), Type.Null()], { description: 'ms since epoch' }),
  createdAt: Type.Number({ description: 'ms since epoch' }),
});

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'bearer token for the Authorization header' }),
  expiresAt: Type.Number({ description: 'ms since epoch when the token stops working' }),
  user: User,
});

export const CreateUserBody = Type.Object({
  email: Email,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 200, description: 'as for every password; left out: a generated password, answered once as generatedPassword' })),
  role: RoleSchema,
  opdId: Type.Optional(Type.Union([Id, Type.Null()])),
  position: Type.Optional(Type.Union([PositionSchema, Type.Null()])),
});

export const UpdateUserBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  opdId: Type.Optional(Type.Union([Id, Type.Null()])),
  position: Type.Optional(Type.Union([PositionSchema, Type.Null()])),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(Password),
});

const GeneratedPassword = Type.String({ description: 'the generated password, shown this once: pass it on to the person' });
export const CreatedUser = Type.Intersect([User, Type.Object({ generatedPassword: Type.Optional(GeneratedPassword) })]);
export const ResetPasswordBody = Type.Object({ password: Type.Optional(Password) }, { description: 'a password to set, or none for a generated one' });
export const ResetPasswordResponse = Type.Object({ user: User, generatedPassword: Type.Optional(GeneratedPassword) });

export const ChangePasswordBody = Type.Object({ currentPassword: Type.String({ maxLength: 200 }), newPassword: Password });

export const Opd = Type.Object({
  id: Id,
  code: Type.String({ description: 'short name, e.g. BPBD' }),
  name: Type.String({ description: 'full name, e.g. Badan Penanggulangan Bencana Daerah' }),
});
export const CreateOpdBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 ._-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
});
export const UpdateOpdBody = Type.Partial(CreateOpdBody);

export const Region = Type.Object({
  id: Id,
  code: Type.String({ description: 'Kemendagri code, e.g. 16.05' }),
  name: Type.String(),
  provinceCode: Type.String(),
  provinceName: Type.String(),
  timezone: Type.String({ description: 'IANA time zone used for calendar-aligned aggregates' }),
  retentionDays: Type.Union([Type.Integer(), Type.Null()], { description: 'telemetry older than this is deleted; null keeps everything' }),
  offlineAfterMinutes: Type.Integer({ description: 'a device silent this long is shown offline' }),
});
export const UpdateRegionBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  retentionDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()])),
  offlineAfterMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10080 })),
});
export const District = Type.Object({ code: Type.String({ description: 'Kemendagri kecamatan code' }), name: Type.String() });

export const LayerKeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_-]*$' }) });
const LayerName = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'Bahasa Indonesia' }), en: Type.String({ minLength: 1, maxLength: 200, description: 'English' }) });
export const Layer = Type.Object({
  key: Type.String(),
  name: LayerName,
  approximate: Type.Boolean({ description: 'drawn by hand, not surveyed' }),
  updatedAt: Type.Number(),
  geojson: Type.Unknown({ description: 'GeoJSON FeatureCollection; its foreign member `attribution` (text) is the credit a map shows under it' }),
});
export const PutLayerBody = Type.Object({ name: LayerName, approximate: Type.Optional(Type.Boolean()), geojson: Type.Unknown() });
export const RegionWithTiles = Type.Intersect([
  Region,
  Type.Object({
    tileUrl: Type.Union([Type.String(), Type.Null()], { description: 'map tiles configured by TILE_URL, or null' }),
    basemapUrl: Type.Union([Type.String(), Type.Null()], { description: 'the offline base map (PMTiles) the platform serves, set by BASEMAP_PMTILES, or null' }),
  }),
]);

// The types derived from the schemas: what the API answers, the services return and the web app reads.

/** A user as the API shows them: never the password hash. */
export type PublicUser = Static<typeof User>;
export type Opd = Static<typeof Opd>;
export type Region = Static<typeof Region>;
/** A kecamatan of the region (GET /region/districts). */
export type District = Static<typeof District>;
export type RegionWithTiles = Static<typeof RegionWithTiles>;
/** A GeoJSON FeatureCollection as a layer stores it (its geometries checked on upload). */
export interface FeatureCollection {
  type: 'FeatureCollection';
  /** who a map must credit for these shapes (a GeoJSON foreign member kept on upload), plain text */
  attribution?: string;
  features: { type: 'Feature'; geometry: unknown; properties?: Record<string, unknown> }[];
}
/** A map layer as GET /region/layers answers it: the schema's Layer, its GeoJSON typed. */
export type RegionLayer = Omit<Static<typeof Layer>, 'geojson'> & { geojson: FeatureCollection };

// What requests carry, as the routes' schemas check it.

export type LoginAnswer = Static<typeof LoginResponse>;
export type NewUser = Static<typeof CreateUserBody>;
/** A new user, with the generated password shown this once. */
export type CreatedUser = Static<typeof CreatedUser>;
export type RegionChanges = Static<typeof UpdateRegionBody>;
export type OpdInput = Static<typeof CreateOpdBody>;
export type OpdChanges = Static<typeof UpdateOpdBody>;
