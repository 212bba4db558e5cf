import { Type } from 'typebox';
import { authErrors, IdParams } from '../../core/http-schemas.ts';
import { principalOf } from './auth.ts';
import * as S from './identity.contract.ts';
import type { Guard, IdentityApp } from './identity.routes.ts';
import type { IdentityService } from './identity.service.ts';

/** /api/v1/opds: the region's OPDs (agencies), changed by admins. */
export function opdsRoutes(app: IdentityApp, { identity, user, admin }: { identity: IdentityService; user: Guard; admin: Guard }): void {
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
}
