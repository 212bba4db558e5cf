/**
 * What the HTTP channels (Telegram, WhatsApp, the SMS gateway, the webhook) share:
 * one call with the outbox's signal, a capped read of the answer, and the rule
 * that turns a failure into a ChannelError with `retryable` right.
 */
import { ChannelError } from './channel.ts';

/** A provider's answer is read up to this many bytes: enough for any error text, not for a hostile server's flood. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface ProviderAnswer {
  status: number;
  /** the body as text, cut at MAX_ANSWER_BYTES */
  text: string;
  /** the body parsed as JSON; undefined when it is not JSON */
  json: unknown;
}

/**
 * Calls a provider. Rejects with a retryable ChannelError on an abort (the
 * outbox's timeout) or a network error; any HTTP status is returned, for the
 * channel to judge. `provider` names it in error messages (never the URL: the
 * Telegram URL carries the bot token).
 */
export async function callProvider(provider: string, url: URL | string, init: RequestInit, signal: AbortSignal): Promise<ProviderAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal });
  } catch (error) {
    throw failureOf(provider, error, signal);
  }
  let text: string;
  try {
    text = await readCapped(response, MAX_ANSWER_BYTES);
  } catch (error) {
    throw failureOf(provider, error, signal);
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** The ChannelError for a thrown fetch: aborted (timeout) or a network error, both retryable. */
function failureOf(provider: string, error: unknown, signal: AbortSignal): ChannelError {
  if (signal.aborted) {
    const reason = signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timed out' : 'was aborted';
    return new ChannelError(`${provider}: the request ${reason}`, true);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ChannelError(`${provider}: network error${code ? ` (${code})` : ''}: ${clip(message, 200)}`, true);
}

async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
    size += Math.min(value.byteLength, room);
    if (size >= limit) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** 429 and 5xx: the provider is busy or broken, the message itself may be fine. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Cuts a provider's text for an error message. */
export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** A 3xx is a failure we do not follow (a provider's API does not redirect; a redirect could lead anywhere). */
export function describeStatus(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status} (a redirect, not followed)`;
  return `HTTP ${status}`;
}
