import type { FastifyInstance, RouteOptions } from 'fastify';

/** The OpenAPI security scheme of a person's session token (`Authorization: Bearer <token>`). */
export const BEARER_SCHEME = 'bearer';

const REQUIRES_BEARER = Symbol('requires a bearer token');

/**
 * Marks a hook as the one that lets only a logged-in person through: a route
 * that runs it is documented with the bearer requirement, any other without.
 */
export function requiresBearer<T extends object>(hook: T): T {
  return Object.assign(hook, { [REQUIRES_BEARER]: true });
}

function runsBearerGuard(hooks: unknown): boolean {
  const list = Array.isArray(hooks) ? hooks : [hooks];
  return list.some((hook) => typeof hook === 'function' && (hook as { [REQUIRES_BEARER]?: boolean })[REQUIRES_BEARER] === true);
}

/**
 * The OpenAPI document says per route what it really takes, derived from the
 * route's own hooks rather than a global default: a route whose onRequest,
 * preValidation or preHandler is the bearer guard needs a session token;
 * every other (login, the device API with its token in the path, the public
 * pages, Open311 with its api_key) needs none. A route that states its
 * `schema.security` itself (the WebSocket stream, which also takes the token
 * in a subprotocol) keeps it. Install before any route is registered.
 */
export function documentRouteSecurity(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ??= {}) as { security?: unknown };
    if (schema.security !== undefined) return;
    const guarded = runsBearerGuard(route.onRequest) || runsBearerGuard(route.preValidation) || runsBearerGuard(route.preHandler);
    schema.security = guarded ? [{ [BEARER_SCHEME]: [] }] : [];
  });
}
