import type { EventMap, EventName } from '../../core/events.js';

export type Handler<E extends EventName> = (payload: EventMap[E]) => void;

/** Carries platform events to every subscriber, in this process or (by other implementations) in every instance. */
export interface EventBus {
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Returns a function that removes the subscription. */
  subscribe<E extends EventName>(event: E, handler: Handler<E>): () => void;
  close(): Promise<void>;
}
