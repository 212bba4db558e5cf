import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authErrors } from '../../core/http-schemas.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { UserAccounts } from './accounts.ts';
import { bearerToken, principalOf, requireUser } from './auth.ts';
import * as S from './identity.contract.ts';
import { opdsRoutes } from './opds.routes.ts';
import { regionRoutes } from './region.routes.ts';
import { usersRoutes } from './users.routes.ts';
import type { IdentityService } from './identity.service.ts';

export interface IdentityRoutesOptions {
  identity: IdentityService;
  accounts: UserAccounts;
  /** login attempts per minute per address */
  loginRateLimit: number;
  /** map tiles the web app may use; null: the region's own layers only */
  tileUrl: string | null;
  /** where the offline base map (BASEMAP_PMTILES) is served, or null without one */
  basemapUrl: string | null;
  /** reads an uploaded layer off the main thread */
  parsers: ParserPool;
}

/** The plugin's `app` as each route file receives it, and the role checks it hands them. */
export type IdentityApp = Parameters<FastifyPluginAsyncTypebox>[0];
export type Guard = ReturnType<typeof requireUser>;

/** /api/v1: log in and out, one's own account; users, OPDs and the region in their own route files. */
export const identityRoutes: FastifyPluginAsyncTypebox<IdentityRoutesOptions> = async (app, { identity, accounts, loginRateLimit, tileUrl, basemapUrl, parsers }) => {
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

  usersRoutes(app, { identity, accounts, user, admin });
  opdsRoutes(app, { identity, user, admin });
  await regionRoutes(app, { identity, tileUrl, basemapUrl, parsers, user, admin });
};
