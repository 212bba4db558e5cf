import { createHmac, randomUUID } from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../../core/errors.ts';
import type { Principal } from '../identity/index.ts';
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

/** Loopback, link-local, private and other non-public ranges a webhook must not reach unless allowed. */
const PRIVATE = new net.BlockList();
for (const [net4, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(net4, bits, 'ipv4');
}
for (const [net6, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net6, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The X-Cerdas-Signature header's value: `sha256=` and the hex HMAC-SHA256 of the exact body sent, keyed with the webhook's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** localhost and *.localhost, which resolve to loopback without asking DNS. */
export function isLocalHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Whether a URL's host is, or resolves to, a loopback, link-local or private
 * address. Asked at each call, not only when the URL is saved: a name may resolve
 * elsewhere later. Rejects when the name does not resolve.
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
      throw new AppError('VALIDATION_FAILED', 'webhook url is not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('VALIDATION_FAILED', 'webhook url must start with http:// or https://');
    if (url.username || url.password) throw new AppError('VALIDATION_FAILED', 'webhook url must not carry a user name or password; use the secret');
    const allowPrivateNetwork = input.allowPrivateNetwork === true;
    if (allowPrivateNetwork && author.role !== 'admin') throw new AppError('FORBIDDEN', 'only an admin may allow a webhook to a private address');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivateNetwork && (isLocalHostName(host) || (net.isIP(host) !== 0 && isPrivateAddress(host)))) {
      throw new AppError('VALIDATION_FAILED', `webhook url points to a loopback, link-local or private address (${host}); an admin can allow it with allowPrivateNetwork`);
    }
    const on = input.on === undefined ? [...ALARM_TRANSITIONS] : input.on;
    if (!Array.isArray(on) || on.length === 0 || on.some((t) => !(ALARM_TRANSITIONS as readonly unknown[]).includes(t))) {
      throw new AppError('VALIDATION_FAILED', `webhook "on" must list some of ${ALARM_TRANSITIONS.join(', ')}`);
    }
    if (input.secret !== undefined && input.secret !== null && (typeof input.secret !== 'string' || input.secret.length < 8)) {
      throw new AppError('VALIDATION_FAILED', 'webhook secret must be a string of at least 8 characters');
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
    const url = new URL(config.url);
    if (!config.allowPrivateNetwork) {
      // Checked again at each call: a name may resolve elsewhere than when the rule was saved.
      try {
        if (await resolvesToPrivateAddress(url)) {
          this.log('webhook refused: the host resolves to a private address', { url: config.url });
          return 'give-up';
        }
      } catch {
        return 'retry';
      }
    }
    try {
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      await res.arrayBuffer().catch(() => {});
      if (res.status >= 200 && res.status < 300) return 'done';
      if (res.status === 429 || res.status >= 500) return 'retry';
      this.log('webhook answered with a client error; not retried', { url: config.url, status: res.status });
      return 'give-up';
    } catch {
      return 'retry';
    }
  }
}
