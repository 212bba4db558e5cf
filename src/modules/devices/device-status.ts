import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { DevicesRepository } from './devices.repository.ts';

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

  private seen(regionId: string, deviceId: string, opdId: string | null, assetId: string | null): void {
    if (this.online.has(deviceId)) return;
    this.online.add(deviceId);
    const at = this.clock.now();
    this.repo.markOnline(deviceId, at).then(
      (changed) => changed && this.bus.publish('device.status.changed', { regionId, deviceId, opdId, assetId, online: true, at }),
      (error: unknown) => {
        this.online.delete(deviceId);
        this.onError(error);
      },
    );
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
