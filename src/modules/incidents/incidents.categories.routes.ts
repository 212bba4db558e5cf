import { Type } from 'typebox';
import { authErrors } from '../../core/http-schemas.ts';
import { principalOf } from '../identity/index.ts';
import * as S from './incidents.contract.ts';
import type { Guard, IncidentsApp } from './incidents.routes.ts';
import type { IncidentsService } from './incidents.service.ts';

/** /api/v1/incident-categories: the region's categories (Open311 services), changed by admins. */
export function categoryRoutes(app: IncidentsApp, { incidents, user }: { incidents: IncidentsService; user: Guard }): void {
  const tags = ['incidents'];
  const conflict = { 409: Type.Ref('Error') };

  app.get('/incident-categories', { preHandler: user, schema: { tags, summary: 'Incident categories (Open311 services) of the region', response: { 200: Type.Array(S.Category), ...authErrors } } }, async (request) =>
    incidents.listCategories(principalOf(request).regionId),
  );
  app.post(
    '/incident-categories',
    { preHandler: user, schema: { tags, summary: 'Create a category (admin)', body: S.CategoryBody, response: { 201: S.Category, ...conflict, ...authErrors } } },
    async (request, reply) => {
      const b = request.body;
      const created = await incidents.createCategory(principalOf(request), {
        code: b.code,
        nameId: b.nameId,
        nameEn: b.nameEn,
        descriptionId: b.descriptionId ?? '',
        descriptionEn: b.descriptionEn ?? '',
        group: b.group,
        opdCode: b.opdCode ?? null,
        defaultSeverity: b.defaultSeverity ?? 'medium',
        keywords: b.keywords ?? [],
        attributes: b.attributes ?? [],
        ...(b.active !== undefined && { active: b.active }),
        slaRouteDays: b.slaRouteDays ?? null,
        slaFollowUpDays: b.slaFollowUpDays ?? null,
        slaCloseDays: b.slaCloseDays ?? null,
        autoPublish: b.autoPublish ?? false,
      });
      return reply.code(201).send(created);
    },
  );
  app.patch(
    '/incident-categories/:code',
    { preHandler: user, schema: { tags, summary: 'Change a category (admin)', params: S.CodeParams, body: S.CategoryPatch, response: { 200: S.Category, ...authErrors } } },
    async (request) => incidents.updateCategory(principalOf(request), request.params.code, request.body),
  );
  app.delete(
    '/incident-categories/:code',
    { preHandler: user, schema: { tags, summary: 'Delete a category (admin); one with incidents is deactivated', params: S.CodeParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await incidents.deleteCategory(principalOf(request), request.params.code);
      return reply.code(204).send(null);
    },
  );
}
