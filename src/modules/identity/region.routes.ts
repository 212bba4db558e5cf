import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../core/http-schemas.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import { principalOf } from './auth.ts';
import * as S from './identity.contract.ts';
import type { Guard, IdentityApp } from './identity.routes.ts';
import type { IdentityService } from './identity.service.ts';
import { LAYER_LIMITS, layerUploadTask } from './layers.read.ts';

/** /api/v1/region: the region, its settings, its map layers and its kecamatan. */
export async function regionRoutes(
  app: IdentityApp,
  { identity, tileUrl, basemapUrl, parsers, user, admin }: { identity: IdentityService; tileUrl: string | null; basemapUrl: string | null; parsers: ParserPool; user: Guard; admin: Guard },
): Promise<void> {
  app.get('/region', { preHandler: user, schema: { tags: ['region'], summary: 'The region of the logged-in user', response: { 200: S.RegionWithTiles, ...authErrors } } }, async (request) => ({
    ...(await identity.getRegion(principalOf(request).regionId)),
    tileUrl,
    basemapUrl,
  }));
  app.patch(
    '/region',
    { preHandler: admin, schema: { tags: ['region'], summary: 'Name, time zone and telemetry retention of the region', body: S.UpdateRegionBody, response: { 200: S.Region, ...authErrors } } },
    async (request) => identity.updateRegion(principalOf(request), request.body),
  );
  app.get('/region/layers', { preHandler: user, schema: { tags: ['region'], summary: 'Map layers of the region: kecamatan, rivers, hotspots …', response: { 200: Type.Array(S.Layer), ...authErrors } } }, async (request) =>
    identity.layers(principalOf(request)),
  );
  // A layer is up to 20 MB of GeoJSON: its bytes go to the parser worker whole (this route only), after the admin check.
  await app.register(async (plugin) => {
    const raw = plugin.withTypeProvider<TypeBoxTypeProvider>();
    raw.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    raw.put(
      '/region/layers/:key',
      {
        preValidation: admin,
        bodyLimit: 20 * 1024 * 1024,
        schema: {
          tags: ['region'],
          summary: 'Add or replace a map layer (GeoJSON FeatureCollection, read off the main thread)',
          description: 'The body is JSON {"name":{"id","en"},"approximate"?,"geojson"}: at most 20 MB and 100,000 features.',
          params: S.LayerKeyParams,
          response: { 204: Type.Null(), 413: Type.Ref('Error'), 422: Type.Ref('Error'), ...authErrors },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const upload = await parsers.run(layerUploadTask, bytes, LAYER_LIMITS);
        await identity.putLayerUpload(principalOf(request), request.params.key, upload);
        return reply.code(204).send(null);
      },
    );
  });
  app.delete('/region/layers/:key', { preHandler: admin, schema: { tags: ['region'], params: S.LayerKeyParams, response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await identity.deleteLayer(principalOf(request), request.params.key);
    return reply.code(204).send(null);
  });
  app.get('/region/districts', { preHandler: user, schema: { tags: ['region'], summary: 'Kecamatan of the region (Kemendagri codes)', response: { 200: Type.Array(S.District), ...authErrors } } }, async (request) =>
    identity.listDistricts(principalOf(request).regionId),
  );
}
