import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type } from 'typebox';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The error answers every route may give whatever its own code does, added
 * to each documented route that does not name them itself: 400 (a parameter,
 * query or body its schema refuses, or text the database cannot store), 503
 * (the database not answering), on routes that take a body 413 and 415 (the
 * body parser), on routes behind the bearer guard 401 and 403, and on
 * routes with a rate limit of their own 429. All in the
 * platform's error format; a module with its own format (Open311) names its
 * errors itself. Install after documentRouteSecurity, before any route.
 */
export function documentCommonErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as { hide?: boolean; security?: unknown[]; response?: Record<string, unknown> } | undefined;
    if (!schema?.response || schema.hide) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const statuses = [400, 503];
    if (methods.some((m) => WITH_BODY.has(m))) statuses.push(413, 415);
    if (Array.isArray(schema.security) && schema.security.length > 0) statuses.push(401, 403);
    // @fastify/rate-limit's per-route limit (config.rateLimit) answers 429 when it is spent.
    if ((route.config as { rateLimit?: unknown } | undefined)?.rateLimit) statuses.push(429);
    // A copy: routes may share one response map (the suffix variants of a path).
    const response = { ...schema.response };
    for (const status of statuses) response[status] ??= Type.Ref('Error');
    schema.response = response;
  });
}
