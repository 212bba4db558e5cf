import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseBbox } from '../../core/geo.ts';
import { authErrors, IdParams, PageOf } from '../../core/http-schemas.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { ASSET_TYPES } from './asset-types.ts';
import { CSV_COLUMNS, importAssetsCsv } from './assets.import.ts';
import * as S from './assets.contract.ts';

const ImportReportSchema = Type.Object({
  rows: Type.Integer(),
  created: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: 'line number in the file' }), message: Type.String() })),
});
import type { AssetsService } from './assets.service.ts';

export const assetsRoutes: FastifyPluginAsyncTypebox<{ assets: AssetsService; identity: IdentityService; parsers: ParserPool }> = async (app, { assets, identity, parsers }) => {
  const user = requireUser(identity);
  const tags = ['assets'];

  app.get('/asset-types', { preHandler: user, schema: { tags, summary: 'Known asset types with their names', response: { 200: Type.Array(S.AssetType), ...authErrors } } }, async () => ASSET_TYPES);
  app.get(
    '/assets',
    { preHandler: user, schema: { tags, summary: 'Assets of the region, filtered and paged', querystring: S.AssetListQuery, response: { 200: PageOf(S.Asset), ...authErrors } } },
    async (request) => {
      const { limit, cursor, bbox, ...filter } = request.query;
      return assets.list(principalOf(request), { ...filter, bbox: bbox === undefined ? undefined : parseBbox(bbox) }, limit ?? 100, cursor);
    },
  );
  app.post('/assets', { preHandler: user, schema: { tags, summary: 'Create an asset', body: S.CreateAssetBody, response: { 201: S.Asset, ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await assets.create(principalOf(request), request.body)),
  );
  await app.register(async (csv) => {
    csv.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    csv.withTypeProvider<TypeBoxTypeProvider>().post(
      '/assets/import',
      {
        preHandler: user,
        schema: {
          tags,
          summary: `Import assets from CSV (columns ${CSV_COLUMNS.join(',')}); nothing is created unless every row is good`,
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          body: Type.String({ description: 'CSV text, first line the column names' }),
          response: { ...authErrors, 200: ImportReportSchema, 400: Type.Union([ImportReportSchema, Type.Ref('Error')]), 422: Type.Ref('Error') },
        },
      },
      async (request, reply) => {
        const report = await importAssetsCsv(assets, identity, parsers, principalOf(request), request.body, request.query.dryRun === true);
        return reply.code(report.errors.length > 0 ? 400 : 200).send(report);
      },
    );
  });
  app.get('/assets/:id', { preHandler: user, schema: { tags, params: IdParams, response: { 200: S.Asset, ...authErrors } } }, async (request) =>
    assets.get(principalOf(request), request.params.id),
  );
  app.patch('/assets/:id', { preHandler: user, schema: { tags, params: IdParams, body: S.UpdateAssetBody, response: { 200: S.Asset, ...authErrors } } }, async (request) =>
    assets.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/assets/:id', { preHandler: user, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await assets.delete(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });
};
