import type { EventName } from '../../core/events.ts';
import type { EventBus } from './bus.ts';
import { InProcessBus } from './in-process.ts';

export type { EventBus, Handler, SubscribeOptions } from './bus.ts';
export { InProcessBus } from './in-process.ts';

/** NATS when BUS_URL names it, otherwise events stay in this process. */
export async function openBus(url: string | undefined, onHandlerError: (error: unknown, event: EventName) => void, onLinkError: (error: unknown) => void): Promise<EventBus> {
  if (url === undefined) return new InProcessBus(onHandlerError);
  const scheme = new URL(url).protocol;
  if (scheme === 'nats:') {
    // Loaded only when asked for: most installations keep events in one process.
    const { NatsBus } = await import('./nats.ts');
    return NatsBus.connect(url, onHandlerError, onLinkError);
  }
  throw new Error(`BUS_URL ${scheme}// is not supported yet; use nats://`);
}
