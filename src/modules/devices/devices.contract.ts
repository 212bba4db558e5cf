/**
 * The devices' contract: TypeBox schemas of the API (validation, the OpenAPI
 * document) and the types derived from them, for routes, services and the web
 * app (`import type`). Device profiles have their own (profiles.contract.ts).
 */
import { Type, type Static } from 'typebox';
import { Id, PageQuery } from '../../core/http-schemas.ts';

const TypeSlug = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_. -]*$', description: 'device type or profile, e.g. water_level_sensor' });

export const Device = Type.Object({
  id: Id,
  name: Type.String(),
  type: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  assetId: Type.Union([Id, Type.Null()], { description: 'the asset it measures' }),
  opdId: Type.Union([Id, Type.Null()], { description: 'the owning OPD (that of its asset)' }),
  hasToken: Type.Boolean({ description: 'false once the token is revoked' }),
  tokenHint: Type.Union([Type.String(), Type.Null()], { description: 'last 4 characters of the token' }),
  lastActivityAt: Type.Union([Type.Number(), Type.Null()], { description: 'ms since epoch of the last message' }),
  online: Type.Union([Type.Boolean(), Type.Null()], { description: 'false once silent longer than the region allows; null if never heard from' }),
  statusChangedAt: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  profileId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'the profile of its type (GET /devices/{id} only); null: the type has none' })),
  isGateway: Type.Boolean({ description: 'a gateway: speaks for the devices behind it (ThingsBoard gateway API, v1/gateway/*)' }),
  gatewayId: Type.Union([Id, Type.Null()], { description: 'the gateway this device is behind (it then has no token of its own), or null' }),
});
/** A device as the API shows it: the token never, only whether one is set and its last 4 characters. */
export type Device = Static<typeof Device>;

export const DeviceWithToken = Type.Intersect([Device, Type.Object({ accessToken: Type.String({ description: 'shown once: put it in the firmware (MQTT username, or the HTTP path)' }) })]);

export const CreateDeviceBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Optional(TypeSlug),
  label: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  assetId: Type.Optional(Type.Union([Id, Type.Null()])),
  opdId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'owner when the device has no asset (admins only)' })),
  isGateway: Type.Optional(Type.Boolean({ description: 'a gateway (ThingsBoard IoT Gateway): the devices it names are created behind it, under its OPD' })),
});
export const UpdateDeviceBody = Type.Partial(CreateDeviceBody);
export type CreateDeviceBody = Static<typeof CreateDeviceBody>;
export type UpdateDeviceBody = Static<typeof UpdateDeviceBody>;

export const DeviceListQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(TypeSlug),
  assetId: Type.Optional(Id),
  opdId: Type.Optional(Id),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'part of the name' })),
  gatewayId: Type.Optional(Id),
});

export const TokenResponse = Type.Object({ accessToken: Type.String({ description: 'shown once' }), tokenHint: Type.String() });

const AttributeMap = Type.Record(Type.String(), Type.Object({ value: Type.Unknown(), updatedAt: Type.Number() }));
export const AttributesResponse = Type.Object({ client: AttributeMap, shared: AttributeMap, server: AttributeMap });
export type AttributesResponse = Static<typeof AttributesResponse>;
export const ScopeParams = Type.Object({ id: Id, scope: Type.Union([Type.Literal('shared'), Type.Literal('server')]) });
export const SetAttributesBody = Type.Record(Type.String({ minLength: 1, maxLength: 255 }), Type.Unknown(), { minProperties: 1 });
export const DeleteAttributesQuery = Type.Object({ keys: Type.String({ minLength: 1, maxLength: 10_000, description: 'comma-separated keys' }) });
