import type { EventMap, EventName } from '../../core/events.ts';

export type Handler<E extends EventName> = (payload: EventMap[E]) => void;

export interface SubscribeOptions {
  /**
   * Only events published by this instance. Work that must happen once per event
   * (rule evaluation, say) subscribes so: the instance that stored a reading
   * evaluates it, and the others only show it.
   */
  localOnly?: boolean;
}

/** Carries platform events to every subscriber, in this process and, by the NATS implementation, in every instance. */
export interface EventBus {
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Returns a function that removes the subscription. */
  subscribe<E extends EventName>(event: E, handler: Handler<E>, options?: SubscribeOptions): () => void;
  close(): Promise<void>;
}
