/**
 * Secrets that travel in URLs — a device's access token in the ThingsBoard
 * path (`/api/v1/<token>/telemetry`), a session token in `?token=` (old stream
 * clients), a message's one-time acknowledgement link (`/ack/<token>`), an
 * Open311 `api_key`, a provider's webhook verification — are cut out before a
 * URL reaches a log. Logs are read by more people, and kept longer, than the
 * database.
 */
export const REDACTED = '[REDACTED]';

/** Path shapes whose marked segment is a credential. */
const SECRET_PATHS: RegExp[] = [
  // ThingsBoard device API: /api/v1/{accessToken}/telemetry|attributes|rpc…
  /^(\/api\/v1\/)[^/]+(?=\/(?:telemetry|attributes|rpc|claim|provision)(?:\/|$))/i,
  // one-time acknowledgement links, in the page and the API
  /^((?:\/api\/v1\/notifications)?\/ack\/)[^/]+/i,
  // Open311 tokens
  /^(\/open311\/v2\/tokens\/)[^/.]+/i,
  // providers' callbacks: keep which provider, not what follows
  /^(\/api\/v1\/notifications\/callbacks\/[^/]+\/)[^/]+/i,
];

/** Query parameters that may carry a secret, by name (api_key, hub.verify_token, token …; not the telemetry API's `keys`). */
const SECRET_PARAM = /token|secret|passw|signature|^sig$|^code$|auth|verify|challenge|otp|^key$|[_.-]key$|^apikey$/i;

/** The URL (path and query, as Fastify's request.url) with every credential replaced by [REDACTED]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  for (const pattern of SECRET_PATHS) path = path.replace(pattern, `$1${REDACTED}`);
  if (query === '') return path;
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return pair;
    let name: string;
    try {
      name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
    } catch {
      name = pair.slice(0, eq);
    }
    return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
  return `${path}?${parts.join('&')}`;
}
