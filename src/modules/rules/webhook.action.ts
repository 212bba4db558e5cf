import { createHmac, randomUUID } from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';
import { isLocalHostName, isPrivateAddress, postPinned, PrivateAddressError } from '../../platform/http/pinned.ts';
import type { Principal } from '../identity/index.ts';
import { invalid } from './rules.errors.ts';
import { ALARM_TRANSITIONS, type ActionContext, type AlarmTransition, type RuleAction } from './rules.actions.ts';

export interface WebhookConfig {
  type: 'webhook';
  url: string;
  /** HMAC-SHA256 key for the X-Cerdas-Signature header; none: unsigned */
  secret: string | null;
  /** which transitions call it; all three (opened, level_changed, cleared) by default */
  on: AlarmTransition[];
  /** only an admin may aim a webhook at loopback, link-local or private addresses */
  allowPrivateNetwork: boolean;
}

export { isLocalHostName, isPrivateAddress } from '../../platform/http/pinned.ts';

/** The X-Cerdas-Signature header's value: `sha256=` and the hex HMAC-SHA256 of the exact body sent, keyed with the webhook's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether a URL's host is, or resolves to, a loopback, link-local or private
 * address: the check when a rule is saved; the call checks again, on the address it connects to.
 * Rejects when the name does not resolve.
 */
export async function resolvesToPrivateAddress(url: URL): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLocalHostName(host)) return true;
  const addresses = net.isIP(host) !== 0 ? [{ address: host }] : await dns.lookup(host, { all: true });
  return addresses.some((a) => isPrivateAddress(a.address));
}

export interface WebhookOptions {
  /** first retry after this many ms, doubling each time */
  backoffMs?: number;
  attempts?: number;
  timeoutMs?: number;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * Calls a URL with the alarm as JSON, signed with an HMAC of the body, and
 * retries with exponential backoff on network errors, 429 and 5xx.
 */
export class WebhookAction implements RuleAction<WebhookConfig> {
  readonly type = 'webhook';
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly backoffMs: number;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly log: NonNullable<WebhookOptions['log']>;

  constructor(options: WebhookOptions = {}) {
    this.backoffMs = options.backoffMs ?? 1000;
    this.attempts = options.attempts ?? 6;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.log = options.log ?? (() => {});
  }

  parse(input: Record<string, unknown>, author: Principal): WebhookConfig {
    let url: URL;
    try {
      url = new URL(String(input.url ?? ''));
    } catch {
      throw invalid('action', 'alamat webhook bukan URL yang sah', 'webhook url is not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('action', 'alamat webhook harus diawali http:// atau https://', 'webhook url must start with http:// or https://');
    if (url.username || url.password) throw invalid('action', 'alamat webhook tidak boleh memuat nama pengguna atau kata sandi; pakai kunci tanda tangan', 'webhook url must not carry a user name or password; use the secret');
    const allowPrivateNetwork = input.allowPrivateNetwork === true;
    if (allowPrivateNetwork && author.role !== 'admin') throw invalid('action', 'hanya admin yang boleh mengizinkan webhook ke alamat internal', 'only an admin may allow a webhook to a private address', 'FORBIDDEN');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivateNetwork && (isLocalHostName(host) || (net.isIP(host) !== 0 && isPrivateAddress(host)))) {
      throw invalid(
        'action',
        `alamat webhook menuju jaringan lokal atau internal (${host}); hanya admin yang dapat mengizinkannya`,
        `webhook url points to a loopback, link-local or private address (${host}); an admin can allow it with allowPrivateNetwork`,
      );
    }
    const on = input.on === undefined ? [...ALARM_TRANSITIONS] : input.on;
    if (!Array.isArray(on) || on.length === 0 || on.some((t) => !(ALARM_TRANSITIONS as readonly unknown[]).includes(t))) {
      throw invalid('action', 'pilih kapan webhook dipanggil: dibuka, level berubah atau selesai', `webhook "on" must list some of ${ALARM_TRANSITIONS.join(', ')}`);
    }
    if (input.secret !== undefined && input.secret !== null && (typeof input.secret !== 'string' || input.secret.length < 8)) {
      throw invalid('action', 'kunci tanda tangan webhook paling sedikit 8 karakter', 'webhook secret must be a string of at least 8 characters');
    }
    return { type: 'webhook', url: url.toString(), secret: (input.secret as string | undefined) ?? null, on: on as AlarmTransition[], allowPrivateNetwork };
  }

  run(config: WebhookConfig, context: ActionContext): void {
    if (this.closed || !config.on.includes(context.transition)) return;
    // Named as the platform's events: alarm.opened, alarm.level.changed, alarm.cleared.
    const event = context.transition === 'level_changed' ? 'alarm.level.changed' : `alarm.${context.transition}`;
    const level = context.transition === 'level_changed' ? { level: { from: context.from, to: context.to, rising: context.rising } } : {};
    const body = JSON.stringify({ event, regionId: context.regionId, rule: context.rule, alarm: context.alarm, ...level });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Cerdas-Webhook/1',
      'x-cerdas-event': event,
      'x-cerdas-delivery': randomUUID(),
    };
    if (config.secret) headers['x-cerdas-signature'] = webhookSignature(config.secret, body);
    this.attempt(config, body, headers, 1);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private attempt(config: WebhookConfig, body: string, headers: Record<string, string>, n: number): void {
    const work = this.deliver(config, body, headers).then(
      (outcome) => {
        if (outcome === 'done' || this.closed) return;
        if (outcome === 'give-up' || n >= this.attempts) {
          this.log('webhook delivery failed for good', { url: config.url, attempts: n, delivery: headers['x-cerdas-delivery'] });
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(config, body, headers, n + 1);
        }, this.backoffMs * 2 ** (n - 1));
        this.timers.add(timer);
      },
      () => {},
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliver(config: WebhookConfig, body: string, headers: Record<string, string>): Promise<'done' | 'retry' | 'give-up'> {
    try {
      // Checked at each call, on the address it connects to: a name may resolve elsewhere than when the rule was saved.
      const res = await postPinned(new URL(config.url), { headers, body, signal: AbortSignal.timeout(this.timeoutMs), allowPrivateNetwork: config.allowPrivateNetwork });
      if (res.status >= 200 && res.status < 300) return 'done';
      if (res.status === 429 || res.status >= 500) return 'retry';
      this.log('webhook answered with a client error; not retried', { url: config.url, status: res.status });
      return 'give-up';
    } catch (error) {
      if (error instanceof PrivateAddressError) {
        this.log('webhook refused: the host resolves to a private address', { url: config.url });
        return 'give-up';
      }
      return 'retry';
    }
  }
}
