import type { Clock } from '../../core/clock.ts';

/** The platform's limits a device is told by `getSessionLimits`. */
export interface SessionLimits {
  /** MAX_PAYLOAD_BYTES: the largest message the platform takes */
  maxPayloadBytes: number;
}

/**
 * The broker acknowledges each QoS 1 message once it is durable and keeps no
 * window of its own; ThingsBoard's SDKs use 80% of this as the number of
 * messages they leave unacknowledged, which keeps a device's unsent data small.
 */
export const MAX_INFLIGHT_MESSAGES = 100;

/**
 * A device's own calls to the platform (client-side RPC), over MQTT
 * (`v1/devices/me/rpc/request/$id`) and HTTP (`POST /api/v1/{token}/rpc`).
 * Every call gets an answer — an unknown method an `{"error"}` object — and
 * never costs the device its connection.
 */
export class ClientSideRpc {
  private readonly clock: Clock;
  private readonly limits: SessionLimits;
  constructor(clock: Clock, limits: SessionLimits) {
    this.clock = clock;
    this.limits = limits;
  }

  answer(request: unknown): unknown {
    if (request === null || typeof request !== 'object' || Array.isArray(request) || typeof (request as { method?: unknown }).method !== 'string') {
      return { error: 'the request must be a JSON object {"method": "...", "params": {...}}' };
    }
    const method = (request as { method: string }).method;
    switch (method) {
      case 'getSessionLimits':
        return this.sessionLimits();
      case 'getCurrentTime':
        return { currentTime: this.clock.now() };
      default:
        return { error: `unknown method "${method.slice(0, 100)}"; the platform answers getSessionLimits and getCurrentTime` };
    }
  }

  /**
   * ThingsBoard's answer, which its SDKs read on connect: "count:seconds"
   * pairs, "0:0," where the platform sets no rate limit (it sets none on
   * devices: a device is slowed only by the broker acknowledging after each
   * write). `rateLimit` repeats `rateLimits` for the SDK's older releases,
   * which read that name.
   */
  private sessionLimits() {
    const rateLimits = { messages: '0:0,', telemetryMessages: '0:0,', telemetryDataPoints: '0:0,' };
    return { maxPayloadSize: this.limits.maxPayloadBytes, maxInflightMessages: MAX_INFLIGHT_MESSAGES, rateLimits, rateLimit: rateLimits };
  }
}
