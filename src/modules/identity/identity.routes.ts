import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors, IdParams, PageOf, PageQuery } from '../../core/http-schemas.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { UserAccounts } from './accounts.ts';
import { bearerToken, principalOf, requireUser } from './auth.ts';
import * as S from './identity.contract.ts';
import { LAYER_LIMITS, layerUploadTask } from './layers.read.ts';
import type { IdentityService } from './identity.service.ts';

export interface IdentityRoutesOptions {
  identity: IdentityService;
  accounts: UserAccounts;
  /** login attempts per minute per address */
  loginRateLimit: number;
  /** map tiles the web app may use; null: the region's own layers only */
  tileUrl: string | null;
  /** reads an uploaded layer off the main thread */
  parsers: ParserPool;
}

export const identityRoutes: FastifyPluginAsyncTypebox<IdentityRoutesOptions> = async (app, { identity, accounts, loginRateLimit, tileUrl, parsers }) => {
  const user = requireUser(identity);
  const admin = requireUser(identity, ['admin']);

  app.post(
    '/auth/login',
    {
      config: { rateLimit: { max: loginRateLimit, timeWindow: 60_000 } },
      schema: { tags: ['auth'], summary: 'Log in: email and password give a bearer token', body: S.LoginBody, response: { 200: S.LoginResponse, 401: Type.Ref('Error'), 429: Type.Ref('Error') } },
    },
    async (request) => identity.login(request.body.email, request.body.password),
  );
  app.post('/auth/logout', { preHandler: user, schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await identity.logout(principalOf(request), bearerToken(request)!);
    return reply.code(204).send(null);
  });
  app.get('/auth/me', { preHandler: user, schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: S.User, ...authErrors } } }, async (request) =>
    identity.me(principalOf(request)),
  );
  app.post(
    '/auth/password',
    { preHandler: user, schema: { tags: ['auth'], summary: 'Change your own password; your other sessions end (this one stays)', body: S.ChangePasswordBody, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await accounts.changeOwnPassword(principalOf(request), bearerToken(request)!, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users',
    { preHandler: admin, schema: { tags: ['users'], summary: 'Users of the region', querystring: Type.Object(PageQuery), response: { 200: PageOf(S.User), ...authErrors } } },
    async (request) => identity.listUsers(principalOf(request), request.query.limit ?? 100, request.query.cursor),
  );
  app.post(
    '/users',
    { preHandler: admin, schema: { tags: ['users'], summary: 'Create a user, with a password given or generated (answered once)', body: S.CreateUserBody, response: { 201: S.CreatedUser, 409: Type.Ref('Error'), ...authErrors } } },
    async (request, reply) => reply.code(201).send(await identity.createUser(principalOf(request), request.body)),
  );
  app.get('/users/:id', { preHandler: user, schema: { tags: ['users'], params: IdParams, response: { 200: S.User, ...authErrors } } }, async (request) =>
    identity.getUser(principalOf(request), request.params.id),
  );
  app.patch(
    '/users/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['users'],
        summary: "Change name, role, OPD, position or password, disable or enable; a change of role, OPD or password, or disabling, ends the user's sessions. 409 LAST_ADMIN when it would leave no active admin",
        params: IdParams,
        body: S.UpdateUserBody,
        response: { 200: S.User, 409: Type.Ref('Error'), ...authErrors },
      },
    },
    async (request) => accounts.update(principalOf(request), request.params.id, request.body),
  );
  app.post(
    '/users/:id/password',
    { preHandler: admin, schema: { tags: ['users'], summary: "Reset a user's password to one given or a generated one (answered once); their sessions end", params: IdParams, body: S.ResetPasswordBody, response: { 200: S.ResetPasswordResponse, ...authErrors } } },
    async (request) => accounts.resetPassword(principalOf(request), request.params.id, request.body.password),
  );
  app.delete('/users/:id', { preHandler: admin, schema: { tags: ['users'], summary: 'Delete a user; 409 LAST_ADMIN for the last active admin', params: IdParams, response: { 204: Type.Null(), 409: Type.Ref('Error'), ...authErrors } } }, async (request, reply) => {
    await accounts.delete(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/opds', { preHandler: user, schema: { tags: ['opds'], summary: 'OPDs (regional agencies) of the region', response: { 200: Type.Array(S.Opd), ...authErrors } } }, async (request) =>
    identity.listOpds(principalOf(request)),
  );
  app.post('/opds', { preHandler: admin, schema: { tags: ['opds'], body: S.CreateOpdBody, response: { 201: S.Opd, 409: Type.Ref('Error'), ...authErrors } } }, async (request, reply) =>
    reply.code(201).send(await identity.createOpd(principalOf(request), request.body)),
  );
  app.get('/opds/:id', { preHandler: user, schema: { tags: ['opds'], params: IdParams, response: { 200: S.Opd, ...authErrors } } }, async (request) =>
    identity.getOpd(principalOf(request), request.params.id),
  );
  app.get(
    '/opds/:id/people',
    { preHandler: user, schema: { tags: ['opds'], summary: "The OPD's active people, to assign work to (its operators and admins)", params: IdParams, response: { 200: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })), ...authErrors } } },
    async (request) => identity.peopleOfOpd(principalOf(request), request.params.id),
  );
  app.patch('/opds/:id', { preHandler: admin, schema: { tags: ['opds'], params: IdParams, body: S.UpdateOpdBody, response: { 200: S.Opd, 409: Type.Ref('Error'), ...authErrors } } }, async (request) =>
    identity.updateOpd(principalOf(request), request.params.id, request.body),
  );
  app.delete('/opds/:id', { preHandler: admin, schema: { tags: ['opds'], params: IdParams, response: { 204: Type.Null(), 409: Type.Ref('Error'), ...authErrors } } }, async (request, reply) => {
    await identity.deleteOpd(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/region', { preHandler: user, schema: { tags: ['region'], summary: 'The region of the logged-in user', response: { 200: S.RegionWithTiles, ...authErrors } } }, async (request) => ({
    ...(await identity.getRegion(principalOf(request).regionId)),
    tileUrl,
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
};
