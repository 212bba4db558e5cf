import type { EventName } from '../../core/events.js';
import type { EventBus } from './bus.js';
import { InProcessBus } from './in-process.js';
import { NatsBus } from './nats.js';

export type { EventBus, Handler, SubscribeOptions } from './bus.js';
export { InProcessBus } from './in-process.js';
export { NatsBus } from './nats.js';

/** NATS when BUS_URL names it, otherwise events stay in this process. */
export async function openBus(url: string | undefined, onHandlerError: (error: unknown, event: EventName) => void): Promise<EventBus> {
  if (url === undefined) return new InProcessBus(onHandlerError);
  const scheme = new URL(url).protocol;
  if (scheme === 'nats:') return NatsBus.connect(url, onHandlerError);
  throw new Error(`BUS_URL ${scheme}// is not supported yet; use nats://`);
}
