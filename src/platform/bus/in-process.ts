import type { EventMap, EventName } from '../../core/events.js';
import type { EventBus, Handler } from './bus.js';

/** The default bus: events reach the subscribers of this process only. */
export class InProcessBus implements EventBus {
  private readonly handlers = new Map<EventName, Set<Handler<any>>>();

  constructor(private readonly onHandlerError: (error: unknown, event: EventName) => void = () => {}) {}

  publish<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.onHandlerError(error, event);
      }
    }
  }

  subscribe<E extends EventName>(event: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
