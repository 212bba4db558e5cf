import type { EventMap, EventName } from '../../core/events.ts';
import type { EventBus, Handler, SubscribeOptions } from './bus.ts';

interface Entry {
  handler: Handler<any>;
  localOnly: boolean;
}

/** The default bus: events reach the subscribers of this process only. */
export class InProcessBus implements EventBus {
  private readonly handlers = new Map<EventName, Set<Entry>>();

  private readonly onHandlerError: (error: unknown, event: EventName) => void;
  constructor(onHandlerError: (error: unknown, event: EventName) => void = () => {}) {
    this.onHandlerError = onHandlerError;
  }

  publish<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.deliver(event, payload, false);
  }

  /** Hands an event that another instance published to the subscribers that want remote events. */
  deliverRemote<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.deliver(event, payload, true);
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>, options: SubscribeOptions = {}): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    const entry: Entry = { handler, localOnly: options.localOnly === true };
    set.add(entry);
    return () => set.delete(entry);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }

  private deliver(event: EventName, payload: unknown, remote: boolean): void {
    for (const entry of this.handlers.get(event) ?? []) {
      if (remote && entry.localOnly) continue;
      try {
        entry.handler(payload);
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.onHandlerError(error, event);
      }
    }
  }
}
