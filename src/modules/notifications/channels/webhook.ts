/**
 * A webhook: the notification as JSON `{id, subject, text, data}` POSTed to the
 * contact's URL (`message.to`), signed as the rules' webhooks are —
 * `X-Cerdas-Signature: sha256=<hex HMAC-SHA256 of the body>` — so a receiver
 * checks both the same way. `X-Cerdas-Delivery` is the notification's id: a
 * retried send carries the same one, for the receiver to drop duplicates.
 */
import net from 'node:net';
import { isLocalHostName, isPrivateAddress, postPinned, PrivateAddressError } from '../../../platform/http/pinned.ts';
import { webhookSignature } from '../../rules/index.ts';
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from './channel.ts';
import { clip, describeStatus, isRetryableStatus } from './http.ts';

export interface WebhookChannelConfig {
  /** HMAC-SHA256 key of the signature; null: unsigned */
  secret: string | null;
  /** an integration that gets every alarm's first message; the outbox addresses it, the channel posts to whatever `to` says */
  alarmUrl?: string | null;
  /** let the URL be a loopback, link-local or private address (set by an admin only) */
  allowPrivateNetwork: boolean;
}

export class WebhookChannel implements Channel {
  readonly kind = 'webhook';
  private readonly config: WebhookChannelConfig;

  constructor(config: WebhookChannelConfig) {
    this.config = config;
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
    const url = webhookUrl(message.to, this.config.allowPrivateNetwork);
    const body = JSON.stringify({ id: message.id, subject: message.subject, text: message.text, data: message.data ?? null });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Cerdas-Webhook/1',
      'x-cerdas-event': 'notification',
      'x-cerdas-delivery': message.id,
    };
    if (this.config.secret) headers['x-cerdas-signature'] = webhookSignature(this.config.secret, body);
    let answer: { status: number; text: string };
    try {
      // Resolved once, checked, and connected to that very address (no second lookup to rebind).
      answer = await postPinned(url, { headers, body, signal, allowPrivateNetwork: this.config.allowPrivateNetwork });
    } catch (error) {
      if (error instanceof PrivateAddressError) throw new ChannelError(`webhook: ${url.hostname} resolves to a loopback, link-local or private address`, false);
      if (signal.aborted) throw new ChannelError('webhook: no answer in time (aborted)', true);
      throw new ChannelError(`webhook: ${url.hostname} could not be reached (${(error as NodeJS.ErrnoException).code ?? 'network error'})`, true);
    }
    if (answer.status >= 200 && answer.status < 300) return { providerMessageId: null };
    throw new ChannelError(`webhook: ${describeStatus(answer.status)}: ${clip(answer.text, 200) || 'no answer'}`, isRetryableStatus(answer.status));
  }
}

/**
 * The address as a URL a webhook may call: http(s), no credentials in it, and,
 * unless allowed, not a literal private address (names are resolved at the call).
 * Throws a ChannelError that is not retryable: the address itself is wrong.
 */
export function webhookUrl(address: string, allowPrivateNetwork: boolean): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ChannelError('webhook: the address is not a valid URL', false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ChannelError('webhook: the URL must start with http:// or https://', false);
  if (url.username || url.password) throw new ChannelError('webhook: the URL must not carry a user name or password', false);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivateNetwork && (isLocalHostName(host) || (net.isIP(host) !== 0 && isPrivateAddress(host)))) {
    throw new ChannelError(`webhook: the URL points to a loopback, link-local or private address (${host})`, false);
  }
  return url;
}
