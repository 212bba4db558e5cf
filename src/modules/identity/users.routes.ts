import { Type } from 'typebox';
import { authErrors, IdParams, PageOf, PageQuery } from '../../core/http-schemas.ts';
import type { UserAccounts } from './accounts.ts';
import { principalOf } from './auth.ts';
import * as S from './identity.contract.ts';
import type { Guard, IdentityApp } from './identity.routes.ts';
import type { IdentityService } from './identity.service.ts';

/** /api/v1/users: the region's users (admins), and each user's own record. */
export function usersRoutes(app: IdentityApp, { identity, accounts, user, admin }: { identity: IdentityService; accounts: UserAccounts; user: Guard; admin: Guard }): void {
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
}
