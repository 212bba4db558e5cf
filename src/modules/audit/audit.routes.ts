import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, PageOf } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import * as S from './audit.contract.ts';
import type { AuditService } from './audit.service.ts';

function instant(value: number | string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new AppError('QUERY_INVALID', `${name} must be ms since epoch or ISO 8601`);
  return ms;
}

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService; identity: IdentityService }> = async (app, { audit, identity }) => {
  app.get(
    '/audit',
    {
      preHandler: requireUser(identity, ['admin']),
      schema: { tags: ['audit'], summary: 'The audit log (admin): every change by a person, newest first, filtered and paged', querystring: S.AuditListQuery, response: { 200: PageOf(S.AuditEntry), ...authErrors } },
    },
    async (request) => {
      const { limit, cursor, from, to, ...filter } = request.query;
      const range = { from: instant(from, 'from'), to: instant(to, 'to') };
      if (range.from !== undefined && range.to !== undefined && range.from > range.to) throw new AppError('QUERY_INVALID', 'from must not be after to');
      return audit.list(principalOf(request), { ...filter, ...range }, limit ?? 100, cursor);
    },
  );
};
