/**
 * Which entity and action a changing request is about, from its method and
 * route pattern alone — so that no service had to be rewritten to be audited.
 * Known routes are listed (with the "before" read that before/after needs);
 * any other changing route is still recorded, named by its path.
 */

/** The entities whose state is read before the change (for before/after), each by a reader app.ts wires up. */
export const READER_KINDS = ['user', 'opd', 'region', 'device', 'asset', 'rule', 'alarm', 'incident', 'category', 'shift', 'swap', 'policy', 'warning', 'profile'] as const;
export type ReaderKind = (typeof READER_KINDS)[number];

export interface RouteAudit {
  entity: string;
  action: string;
  /** the entity's id: a path parameter (several joined by /), 'result' (the answer's id), 'region' or 'self' (the person) */
  id: readonly string[] | 'result' | 'region' | 'self';
  /** read the entity before the handler runs */
  read?: ReaderKind;
  /**
   * What before/after hold: 'diff' (default) the changed fields of the read
   * and the answer; 'label' the read names the entity only (an erasure keeps
   * nothing of what it erased); 'body' after is the request's masked body.
   */
  keep?: 'diff' | 'label' | 'body';
}

/**
 * Routes that are no person's change: the session itself, and the device API
 * (ingest must not pay for an audit hook; devices are not persons).
 */
const SKIP = new Set([
  'POST /auth/login', 'POST /auth/logout', 'POST /:token/telemetry', 'POST /:token/attributes', 'POST /:token/rpc', 'POST /:token/rpc/:requestId',
  // A command writes its own entry, whatever came of it (answered, timed out, device offline): see modules/rpc.
  'POST /devices/:id/rpc',
]);

type Entry = [method: string, path: string, audit: RouteAudit];
const p = (...names: string[]) => names;

const KNOWN: Entry[] = [
  ['POST', '/auth/password', { entity: 'user', action: 'password.change', id: 'self' }],
  ['POST', '/users', { entity: 'user', action: 'create', id: 'result' }],
  ['PATCH', '/users/:id', { entity: 'user', action: 'update', id: p('id'), read: 'user' }],
  ['DELETE', '/users/:id', { entity: 'user', action: 'delete', id: p('id'), read: 'user' }],
  ['POST', '/opds', { entity: 'opd', action: 'create', id: 'result' }],
  ['PATCH', '/opds/:id', { entity: 'opd', action: 'update', id: p('id'), read: 'opd' }],
  ['DELETE', '/opds/:id', { entity: 'opd', action: 'delete', id: p('id'), read: 'opd' }],
  ['PATCH', '/region', { entity: 'region', action: 'update', id: 'region', read: 'region' }],
  ['PUT', '/region/layers/:key', { entity: 'layer', action: 'put', id: p('key'), keep: 'body' }],
  ['DELETE', '/region/layers/:key', { entity: 'layer', action: 'delete', id: p('key') }],
  ['POST', '/devices', { entity: 'device', action: 'create', id: 'result' }],
  // The answer is a file of tokens: nothing of it is kept.
  ['POST', '/devices/import', { entity: 'device', action: 'import', id: 'result', keep: 'label' }],
  ['POST', '/device-profiles', { entity: 'device.profile', action: 'create', id: 'result' }],
  ['PUT', '/device-profiles/:id', { entity: 'device.profile', action: 'update', id: p('id'), read: 'profile' }],
  ['DELETE', '/device-profiles/:id', { entity: 'device.profile', action: 'delete', id: p('id'), read: 'profile' }],
  ['PATCH', '/devices/:id', { entity: 'device', action: 'update', id: p('id'), read: 'device' }],
  ['DELETE', '/devices/:id', { entity: 'device', action: 'delete', id: p('id'), read: 'device' }],
  ['POST', '/devices/:id/token', { entity: 'device', action: 'token.regenerate', id: p('id'), read: 'device' }],
  ['DELETE', '/devices/:id/token', { entity: 'device', action: 'token.revoke', id: p('id'), read: 'device', keep: 'label' }],
  ['POST', '/devices/:id/attributes/:scope', { entity: 'device', action: 'attributes.set', id: p('id'), read: 'device', keep: 'body' }],
  ['DELETE', '/devices/:id/attributes/:scope', { entity: 'device', action: 'attributes.delete', id: p('id'), read: 'device', keep: 'label' }],
  ['POST', '/assets', { entity: 'asset', action: 'create', id: 'result' }],
  ['POST', '/assets/import', { entity: 'asset', action: 'import', id: 'result' }],
  ['PATCH', '/assets/:id', { entity: 'asset', action: 'update', id: p('id'), read: 'asset' }],
  ['DELETE', '/assets/:id', { entity: 'asset', action: 'delete', id: p('id'), read: 'asset' }],
  ['POST', '/rules', { entity: 'rule', action: 'create', id: 'result' }],
  ['PATCH', '/rules/:id', { entity: 'rule', action: 'update', id: p('id'), read: 'rule' }],
  ['DELETE', '/rules/:id', { entity: 'rule', action: 'delete', id: p('id'), read: 'rule' }],
  ['POST', '/alarms/:id/ack', { entity: 'alarm', action: 'ack', id: p('id'), read: 'alarm' }],
  ['POST', '/alarms/:id/clear', { entity: 'alarm', action: 'clear', id: p('id'), read: 'alarm' }],
  ['POST', '/rule-commands/:id/confirm', { entity: 'rule-command', action: 'confirm', id: p('id') }],
  ['POST', '/rule-commands/:id/dismiss', { entity: 'rule-command', action: 'dismiss', id: p('id') }],
  ['POST', '/incident-categories', { entity: 'category', action: 'create', id: 'result' }],
  ['PATCH', '/incident-categories/:code', { entity: 'category', action: 'update', id: p('code'), read: 'category' }],
  ['DELETE', '/incident-categories/:code', { entity: 'category', action: 'delete', id: p('code'), read: 'category' }],
  ['POST', '/incidents', { entity: 'incident', action: 'create', id: 'result' }],
  ['POST', '/incidents/import/lapor', { entity: 'incident', action: 'import', id: 'result' }],
  ['PATCH', '/incidents/:id', { entity: 'incident', action: 'update', id: p('id'), read: 'incident' }],
  ['POST', '/incidents/:id/publication', { entity: 'incident', action: 'publication', id: p('id'), read: 'incident' }],
  ['POST', '/incidents/:id/assign', { entity: 'incident', action: 'assign', id: p('id'), read: 'incident' }],
  ['POST', '/incidents/:id/status', { entity: 'incident', action: 'status', id: p('id'), read: 'incident' }],
  ['POST', '/incidents/:id/updates', { entity: 'incident', action: 'update.add', id: p('id'), read: 'incident', keep: 'body' }],
  // The answer is the incident merged into; after says which one.
  ['POST', '/incidents/:id/merge', { entity: 'incident', action: 'merge', id: p('id'), read: 'incident', keep: 'body' }],
  ['POST', '/incidents/:id/erase-reporter', { entity: 'incident', action: 'erase-reporter', id: p('id'), read: 'incident', keep: 'label' }],
  ['PUT', '/notifications/channels/:kind', { entity: 'channel', action: 'put', id: p('kind') }],
  ['POST', '/notifications/channels/:kind/test', { entity: 'channel', action: 'test', id: p('kind') }],
  ['PUT', '/notifications/templates/:event/:channel/:language', { entity: 'template', action: 'put', id: p('event', 'channel', 'language') }],
  ['DELETE', '/notifications/templates/:event/:channel/:language', { entity: 'template', action: 'reset', id: p('event', 'channel', 'language') }],
  ['PATCH', '/warnings/:id', { entity: 'warning', action: 'update', id: p('id'), read: 'warning' }],
  ['POST', '/warnings/:id/discard', { entity: 'warning', action: 'discard', id: p('id'), read: 'warning' }],
  ['POST', '/warnings/:id/approve', { entity: 'warning', action: 'approve', id: p('id'), read: 'warning' }],
  ['POST', '/opds/:id/duty/shifts', { entity: 'duty.shift', action: 'create', id: 'result' }],
  ['PATCH', '/opds/:id/duty/shifts/:shiftId', { entity: 'duty.shift', action: 'update', id: p('shiftId'), read: 'shift' }],
  ['DELETE', '/opds/:id/duty/shifts/:shiftId', { entity: 'duty.shift', action: 'delete', id: p('shiftId'), read: 'shift' }],
  ['POST', '/opds/:id/duty/swaps', { entity: 'duty.swap', action: 'create', id: 'result' }],
  ['PATCH', '/opds/:id/duty/swaps/:swapId', { entity: 'duty.swap', action: 'update', id: p('swapId'), read: 'swap' }],
  ['DELETE', '/opds/:id/duty/swaps/:swapId', { entity: 'duty.swap', action: 'delete', id: p('swapId'), read: 'swap' }],
  ['PUT', '/opds/:id/escalation-policies/:severity', { entity: 'escalation.policy', action: 'put', id: p('id', 'severity'), read: 'policy' }],
  ['DELETE', '/opds/:id/escalation-policies/:severity', { entity: 'escalation.policy', action: 'delete', id: p('id', 'severity'), read: 'policy' }],
];

const known = new Map(KNOWN.map(([method, path, audit]) => [`${method} ${path}`, audit]));

/** The master plan's own words for its parts, singular (its activity log keeps the detail). */
const MASTERPLAN_PARTS: Record<string, string> = {
  plan: 'plan', readiness: 'readiness', swot: 'swot', programs: 'program', kpis: 'kpi', members: 'member', sessions: 'session',
  comments: 'comment', commitments: 'commitment', evaluation: 'evaluation', import: 'import', initiatives: 'initiative',
};

const METHOD_ACTION: Record<string, string> = { POST: 'create', PUT: 'put', PATCH: 'update', DELETE: 'delete' };

/**
 * The audit of a route, or null for routes that are not a person's change
 * (reads, the device API, login). `path` is the route pattern with its prefix.
 */
export function describeRoute(method: string, path: string): RouteAudit | null {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return null;
  const local = path.replace(/^\/api\/v1(?=\/)/, '');
  const key = `${method} ${local}`;
  if (SKIP.has(key)) return null;
  const listed = known.get(key);
  if (listed) return listed;
  // Not listed: still recorded, named after its path (a route added later is audited from day one).
  const parts = local.split('/').filter(Boolean);
  const statics = parts.filter((s) => !s.startsWith(':'));
  const params = parts.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
  const last = parts[parts.length - 1] ?? '';
  const action = method === 'POST' && parts.length > 1 && !last.startsWith(':') && params.length > 0 ? last : METHOD_ACTION[method] ?? method.toLowerCase();
  let entity = statics[0] ?? 'unknown';
  if (entity === 'masterplan') entity = `masterplan.${MASTERPLAN_PARTS[statics[1] ?? ''] ?? statics[1] ?? 'plan'}`;
  const id: RouteAudit['id'] = params.length > 0 ? params : 'result';
  return { entity, action, id };
}
