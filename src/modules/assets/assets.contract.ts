/**
 * The assets' contract: TypeBox schemas of the API (validation, the OpenAPI
 * document) and the types derived from them, for routes, services and the web app.
 */
import { Type, type Static } from 'typebox';
import { Id, PageQuery } from '../../core/http-schemas.ts';

const TypeSlug = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$', description: 'asset type, e.g. river_gauge, street_light (see GET /asset-types)' });

export const Asset = Type.Object({
  id: Id,
  type: Type.String(),
  name: Type.String(),
  opdId: Type.Union([Id, Type.Null()], { description: 'the OPD that owns it' }),
  geometry: Type.Unknown({ description: 'GeoJSON geometry (WGS 84), or null' }),
  location: Type.Union([Type.Object({ lon: Type.Number(), lat: Type.Number() }), Type.Null()], { description: 'representative point of the geometry' }),
  districtCode: Type.Union([Type.String(), Type.Null()], { description: 'Kemendagri code of its kecamatan' }),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
export type Asset = Static<typeof Asset>;

export const CreateAssetBody = Type.Object({
  type: TypeSlug,
  name: Type.String({ minLength: 1, maxLength: 300 }),
  opdId: Type.Optional(Type.Union([Id, Type.Null()])),
  geometry: Type.Optional(Type.Unknown({ description: 'GeoJSON geometry: Point, LineString, Polygon or their Multi forms' })),
  districtCode: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 255 }), Type.Unknown())),
});
export const UpdateAssetBody = Type.Partial(CreateAssetBody);
/** What a new asset is made of (the API's body, and each line of an import). */
export type AssetInput = Static<typeof CreateAssetBody>;

export const AssetListQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(TypeSlug),
  opdId: Type.Optional(Id),
  districtCode: Type.Optional(Type.String({ maxLength: 20 })),
  bbox: Type.Optional(Type.String({ maxLength: 200, description: 'west,south,east,north in degrees' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'part of the name' })),
});

export const AssetType = Type.Object({ type: Type.String(), id: Type.String({ description: 'name in Bahasa Indonesia' }), en: Type.String({ description: 'name in English' }) });
export type AssetType = Static<typeof AssetType>;
