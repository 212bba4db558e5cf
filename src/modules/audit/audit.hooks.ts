import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Principal } from '../identity/index.ts';
import { describeRoute, type ReaderKind, type RouteAudit } from './audit.describe.ts';
import { changes, labelOf, maskBody } from './audit.mask.ts';
import type { AuditService } from './audit.service.ts';

/** Reads an entity as it is before a change, with the person's own rights; null or a throw: not known. */
export type AuditReader = (p: Principal, params: Record<string, string>) => Promise<unknown>;

export interface AuditHooksOptions {
  audit: AuditService;
  readers: Partial<Record<ReaderKind, AuditReader>>;
  /** the person's name as the log keeps it (their name at the time of the change) */
  nameOf: (p: Principal) => Promise<string>;
  onError: (error: unknown, detail: Record<string, unknown>) => void;
}

interface Pending {
  route: RouteAudit;
  before: unknown;
  result: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** set for a person's changing request: what it is about and the entity as it was */
    auditPending?: Pending;
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? request.url.split('?')[0] ?? '';
}

/** The body's size as the client declared it (known without reading the body), or null. */
function declaredBytes(request: FastifyRequest): number | null {
  const bytes = Number(request.headers['content-length']);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

function entityId(route: RouteAudit, request: FastifyRequest, principal: Principal, result: unknown): string | null {
  if (route.id === 'region') return principal.regionId;
  if (route.id === 'self') return principal.userId;
  if (route.id === 'result') {
    const id = result !== null && typeof result === 'object' ? (result as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : null;
  }
  const params = (request.params ?? {}) as Record<string, unknown>;
  const values = route.id.map((name) => params[name]).filter((v) => typeof v === 'string' || typeof v === 'number');
  return values.length > 0 ? values.join('/') : null;
}

/**
 * Records every successful changing request of a signed-in person, without
 * touching the services: a preHandler appended to each changing route (after
 * the route's own authentication) reads the entity as it was, the answer is
 * caught before it is serialised, and the entry is written before the answer
 * leaves (so a client that got its answer finds the entry). Requests without a
 * person (the device API, MQTT, public pages) never reach the database here.
 * Call before any route is registered.
 */
export function installAuditHooks(app: FastifyInstance, options: AuditHooksOptions): void {
  const capture: preHandlerHookHandler = async (request) => {
    const principal = request.principal;
    const route = principal ? describeRoute(request.method, routeOf(request)) : null;
    if (!principal || !route) return;
    let before: unknown = null;
    const reader = route.read ? options.readers[route.read] : undefined;
    if (reader) {
      // A failed read leaves before unknown; the handler answers the error it meets itself.
      before = await reader(principal, (request.params ?? {}) as Record<string, string>).catch(() => null);
    }
    request.auditPending = { route, before, result: undefined };
  };

  app.addHook('onRoute', (routeOptions) => {
    const methods = Array.isArray(routeOptions.method) ? routeOptions.method : [routeOptions.method];
    if (!methods.some((m) => describeRoute(m, routeOptions.url) !== null)) return;
    const own = routeOptions.preHandler;
    routeOptions.preHandler = [...(own === undefined ? [] : Array.isArray(own) ? own : [own]), capture];
  });

  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (request.auditPending) request.auditPending.result = payload;
    return payload;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const principal = request.principal;
    if (!principal || reply.statusCode >= 400) return payload;
    // A route that authenticates inside its handler: recorded too, without a before.
    const pending = request.auditPending ?? (() => {
      const route = describeRoute(request.method, routeOf(request));
      return route ? { route, before: null, result: undefined } : undefined;
    })();
    if (!pending) return payload;
    const { route, before, result } = pending;
    try {
      let sides: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
      if (route.keep === 'label') sides = { before: null, after: null };
      else if (route.keep === 'body') sides = { before: null, after: maskBody(request.body ?? null, route.entity, declaredBytes(request)) };
      else sides = changes(before, result, route.entity);
      await options.audit.record({
        regionId: principal.regionId,
        userId: principal.userId,
        userName: await options.nameOf(principal),
        userRole: principal.role,
        entity: route.entity,
        entityId: entityId(route, request, principal, result),
        entityLabel: labelOf(result, before),
        action: route.action,
        method: request.method,
        route: routeOf(request),
        status: reply.statusCode,
        ...sides,
        ip: request.ip,
      });
    } catch (error) {
      // The change is made and answered; a lost entry is logged loudly, never turned into a failed answer.
      options.onError(error, { route: routeOf(request), userId: principal.userId });
    }
    return payload;
  });
}
