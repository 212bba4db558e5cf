/**
 * Every event the platform emits, named in the past tense. Payloads are plain
 * JSON and carry regionId, so they can cross a process boundary unchanged.
 */
export type TelemetryValue = number | string | boolean | Record<string, unknown> | unknown[];

export interface EventMap {
  'telemetry.stored': {
    regionId: string;
    deviceId: string;
    /** points grouped by timestamp (ms since epoch, UTC) */
    points: { ts: number; values: Record<string, TelemetryValue> }[];
  };
  'attributes.updated': {
    regionId: string;
    deviceId: string;
    scope: 'client' | 'shared' | 'server';
    values: Record<string, unknown>;
  };
  /** A device's token changed or was revoked, or the device was deleted: drop its sessions. */
  'device.credentials.changed': { regionId: string; deviceId: string };
  'device.deleted': { regionId: string; deviceId: string };
}

export type EventName = keyof EventMap;
