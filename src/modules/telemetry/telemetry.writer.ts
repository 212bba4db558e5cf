import { AppError } from '../../core/errors.ts';
import type { TelemetryValue } from '../../core/events.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { seriesKey, type PointRow, type TelemetryBulk } from '../../platform/db/index.ts';
import type { DeviceRef } from '../devices/index.ts';
import { toColumns, type ParsedPoint } from './telemetry.parse.ts';

/**
 * A device's last activity is written again only once it is this much newer
 * than what this process last wrote: a device sending every 100 ms would
 * otherwise rewrite its devices row (a page of the database) with every
 * message. Offline detection and silence rules count in minutes.
 */
const ACTIVITY_STEP_MS = 5000;

interface Pending {
  device: DeviceRef;
  points: ParsedPoint[];
  /** ms since epoch of arrival: the device's last activity */
  at: number;
  /** with the number of points */
  resolve: (points: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every message that arrives while a transaction is being written
 * joins the next one. A caller's promise resolves only after the transaction
 * holding its points has committed durably, so an acknowledgement (HTTP 200,
 * MQTT PUBACK) is never sent for a point that could still be lost.
 */
export class TelemetryWriter {
  private queue: Pending[] = [];
  private queuedPoints = 0;
  private scheduled = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Series ids by device, then key. */
  private readonly seriesIds = new Map<string, Map<string, number>>();
  /** ms of the last activity written for each device by this process */
  private readonly activityWritten = new Map<string, number>();
  private closed = false;

  private readonly bulk: TelemetryBulk;
  private readonly bus: EventBus;
  /** Hears why a message could not be stored (its sender gets a retryable error, without the cause). */
  private readonly onStoreError: (error: unknown, points: number) => void;
  /**
   * Transactions written at once: 2 for SQLite (one writes while the other
   * waits for its fsync), more for PostgreSQL, whose commits wait on the disk
   * and can overlap.
   */
  private readonly maxInFlight: number;
  /** Points waiting beyond this refuse new writes with 503 instead of growing memory. */
  private readonly maxQueuedPoints: number;
  constructor(bulk: TelemetryBulk, bus: EventBus, onStoreError: (error: unknown, points: number) => void, maxInFlight = 1, maxQueuedPoints = 500_000) {
    this.bulk = bulk;
    this.bus = bus;
    this.onStoreError = onStoreError;
    this.maxInFlight = maxInFlight;
    this.maxQueuedPoints = maxQueuedPoints;
    bus.subscribe('device.deleted', ({ deviceId }) => {
      this.activityWritten.delete(deviceId);
      this.seriesIds.delete(deviceId);
    });
  }

  /** Resolves with the number of points once they are durable. */
  write(device: DeviceRef, points: ParsedPoint[], at: number): Promise<number> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'the platform is shutting down; send again shortly'));
    if (this.queuedPoints + points.length > this.maxQueuedPoints) {
      return Promise.reject(new AppError('UNAVAILABLE', 'ingest is overloaded; send again shortly'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ device, points, at, resolve, reject });
      this.queuedPoints += points.length;
      this.schedule();
    });
  }

  /** Waits for everything queued to be written; refuses later writes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    // Let the messages already read from sockets in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.launch();
    });
  }

  private launch(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue;
      this.queue = [];
      this.queuedPoints = 0;
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      await this.store(batch);
    } catch (error) {
      // One bad message (its device deleted meanwhile, say) must not fail the
      // others that shared its transaction: write each alone to find it.
      if (batch.length > 1) {
        for (const item of batch) await this.commit([item]);
        return;
      }
      this.onStoreError(error, batch[0]!.points.length);
      batch[0]!.reject(new AppError('UNAVAILABLE', 'the points could not be stored; send again'));
      return;
    }
    for (const item of batch) {
      item.resolve(item.points.length);
      this.bus.publish('telemetry.stored', {
        regionId: item.device.regionId,
        deviceId: item.device.id,
        opdId: item.device.opdId,
        assetId: item.device.assetId,
        deviceType: item.device.type,
        assetType: item.device.assetType,
        points: groupByTs(item.points),
      });
    }
  }

  private async store(batch: Pending[]): Promise<void> {
    let missing: Map<string, { regionId: string; deviceId: string; key: string }> | undefined;
    for (const item of batch) {
      const ids = this.seriesIds.get(item.device.id);
      for (const p of item.points) {
        if (ids?.has(p.key)) continue;
        const k = seriesKey(item.device.id, p.key);
        missing ??= new Map();
        if (!missing.has(k)) missing.set(k, { regionId: item.device.regionId, deviceId: item.device.id, key: p.key });
      }
    }
    if (missing) {
      const found = await this.bulk.ensureSeries([...missing.values()]);
      for (const [k, { deviceId, key }] of missing) {
        const id = found.get(k);
        if (id === undefined) continue;
        let ids = this.seriesIds.get(deviceId);
        if (!ids) this.seriesIds.set(deviceId, (ids = new Map()));
        ids.set(key, id);
      }
    }
    const rows: PointRow[] = [];
    const activity = new Map<string, number>();
    for (const item of batch) {
      const ids = this.seriesIds.get(item.device.id);
      for (const p of item.points) rows.push(pointRow(ids!.get(p.key)!, p.ts, p.value));
      const seen = activity.get(item.device.id);
      if (seen === undefined || seen < item.at) activity.set(item.device.id, item.at);
    }
    for (const [deviceId, at] of activity) {
      const written = this.activityWritten.get(deviceId);
      if (written !== undefined && at < written + ACTIVITY_STEP_MS) activity.delete(deviceId);
    }
    await this.bulk.writePoints(rows, activity);
    for (const [deviceId, at] of activity) this.activityWritten.set(deviceId, at);
  }
}

/** A point in the columns it is stored in; every row of one shape (a spread per point costs the batch dearly). */
function pointRow(seriesId: number, ts: number, value: TelemetryValue): PointRow {
  if (typeof value === 'number') return { seriesId, ts, num: value, str: null, bool: null, json: null };
  const c = toColumns(value);
  return { seriesId, ts, num: c.num, str: c.str, bool: c.bool, json: c.json };
}

function groupByTs(points: ParsedPoint[]): { ts: number; values: Record<string, TelemetryValue> }[] {
  if (points.length === 0) return [];
  // Nearly every message is one reading (one ts): no map, no copy, for it.
  const ts = points[0]!.ts;
  const values: Record<string, TelemetryValue> = {};
  let one = true;
  for (let i = 0; i < points.length && one; i++) {
    const p = points[i]!;
    if (p.ts === ts) values[p.key] = p.value;
    else one = false;
  }
  if (one) return [{ ts, values }];
  const byTs = new Map<number, Record<string, TelemetryValue>>();
  for (const p of points) {
    let values = byTs.get(p.ts);
    if (!values) byTs.set(p.ts, (values = {}));
    values[p.key] = p.value;
  }
  return [...byTs].map(([ts, values]) => ({ ts, values }));
}
