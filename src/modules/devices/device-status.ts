import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { DevicesRepository } from './devices.repository.ts';

/** Devices marked online in one statement (well under SQLite's limit of bound parameters). */
const MARK_ONLINE_CHUNK = 500;

/**
 * Online/offline from last activity. A reading marks its device online; a
 * periodic check marks offline those silent longer than their type's profile
 * allows (its offlineTimeoutSeconds), or their region when the profile sets none.
 * Both are conditional updates in the database, so after a restart a device
 * silent too long still goes offline, and with several instances each change
 * happens (and is announced) once.
 */
export class DeviceStatusTracker {
  /** devices this instance knows to be online, to skip the database on every reading */
  private readonly online = new Set<string>();
  /** devices seen but not yet marked online in the database, with what their status event names */
  private pending = new Map<string, { regionId: string; opdId: string | null; assetId: string | null }>();
  private flushScheduled = false;
  private flushing = false;

  private readonly repo: DevicesRepository;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  constructor(repo: DevicesRepository, bus: EventBus, clock: Clock, onError: (error: unknown) => void) {
    this.repo = repo;
    this.bus = bus;
    this.clock = clock;
    this.onError = onError;
    bus.subscribe('telemetry.stored', (e) => this.seen(e.regionId, e.deviceId, e.opdId, e.assetId), { localOnly: true });
    bus.subscribe('device.status.changed', (e) => (e.online ? this.online.add(e.deviceId) : this.online.delete(e.deviceId)));
    bus.subscribe('device.deleted', (e) => this.online.delete(e.deviceId));
  }

  /**
   * A reading of a device not known to be online: marked online with the
   * others seen in the same turn of the event loop, in one statement (after a
   * restart, every connected device's first reading comes at once; one write
   * and one fsync each would hold up the readings themselves).
   */
  private seen(regionId: string, deviceId: string, opdId: string | null, assetId: string | null): void {
    if (this.online.has(deviceId)) return;
    this.online.add(deviceId);
    this.pending.set(deviceId, { regionId, opdId, assetId });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled || this.pending.size === 0) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.pending;
    this.pending = new Map();
    const at = this.clock.now();
    try {
      const ids = [...batch.keys()];
      for (let i = 0; i < ids.length; i += MARK_ONLINE_CHUNK) {
        const chunk = ids.slice(i, i + MARK_ONLINE_CHUNK);
        let changed: string[];
        try {
          changed = await this.repo.markManyOnline(chunk, at);
        } catch (error) {
          for (const id of chunk) this.online.delete(id);
          this.onError(error);
          continue;
        }
        for (const deviceId of changed) {
          const d = batch.get(deviceId);
          if (d) this.bus.publish('device.status.changed', { regionId: d.regionId, deviceId, opdId: d.opdId, assetId: d.assetId, online: true, at });
        }
      }
    } finally {
      this.flushing = false;
      this.scheduleFlush();
    }
  }

  // Gateways announce the devices behind them: connect is activity, disconnect is offline at once.

  /** A gateway said the device connected: online now, and silent from now on counts from now. */
  async connected(device: { id: string; regionId: string; opdId: string | null; assetId: string | null }): Promise<void> {
    const at = this.clock.now();
    await this.repo.touch(device.id, at);
    this.online.add(device.id);
    if (await this.repo.markOnline(device.id, at)) {
      this.bus.publish('device.status.changed', { regionId: device.regionId, deviceId: device.id, opdId: device.opdId, assetId: device.assetId, online: true, at });
    }
  }

  /** A gateway said the device disconnected: offline at once, not after the region's silence. */
  async disconnected(device: { id: string; regionId: string; opdId: string | null; assetId: string | null }): Promise<void> {
    const at = this.clock.now();
    this.online.delete(device.id);
    if (await this.repo.markDisconnected(device.id, at)) {
      this.bus.publish('device.status.changed', { regionId: device.regionId, deviceId: device.id, opdId: device.opdId, assetId: device.assetId, online: false, at });
    }
  }

  /** Marks offline every device silent too long (profile's timeout, else the region's); returns how many changed. */
  async check(): Promise<number> {
    const now = this.clock.now();
    let changed = 0;
    for (const d of await this.repo.stale(now)) {
      if (await this.repo.markOffline(d.id, d.last_activity_at ?? 0, now)) {
        changed++;
        this.online.delete(d.id);
        this.bus.publish('device.status.changed', { regionId: d.region_id, deviceId: d.id, opdId: d.opd_id, assetId: d.asset_id, online: false, at: now });
      }
    }
    return changed;
  }
}
