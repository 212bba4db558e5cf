import type { EventName } from '../../core/events.ts';
import type { EventBus } from './bus.ts';
import { InProcessBus } from './in-process.ts';
import { NatsBus } from './nats.ts';

export type { EventBus, Handler, SubscribeOptions } from './bus.ts';
export { InProcessBus } from './in-process.ts';
export { NatsBus } from './nats.ts';

/** NATS when BUS_URL names it, otherwise events stay in this process. */
export async function openBus(url: string | undefined, onHandlerError: (error: unknown, event: EventName) => void, onLinkError: (error: unknown) => void): Promise<EventBus> {
  if (url === undefined) return new InProcessBus(onHandlerError);
  const scheme = new URL(url).protocol;
  if (scheme === 'nats:') return NatsBus.connect(url, onHandlerError, onLinkError);
  throw new Error(`BUS_URL ${scheme}// is not supported yet; use nats://`);
}
