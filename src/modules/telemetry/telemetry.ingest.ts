import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { DeviceRef, DevicesService } from '../devices/index.ts';
import { parseAttributes, parseJsonPayload, parseTelemetry, type ParsedPoint } from './telemetry.parse.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { TelemetryRepository } from './telemetry.repository.ts';
import type { TelemetryWriter } from './telemetry.writer.ts';

/** Distinct keys one device may have: past it, a misbehaving device would create series without end. */
export const MAX_KEYS_PER_DEVICE = 1000;

/**
 * What a device sends, from any transport: check the token, parse and validate
 * the whole message, then store it. Resolves once the message is durable.
 */
export class IngestService {
  /** The keys each device has sent, loaded on its first message since start. */
  private readonly keysOf = new Map<string, Set<string>>();
  /** Devices whose keys are being loaded, and those waiting for the next load. */
  private readonly keysLoading = new Map<string, Promise<Set<string>>>();
  private keysWanted = new Map<string, { resolve: (keys: Set<string>) => void; reject: (error: unknown) => void }>();

  private readonly devices: DevicesService;
  private readonly writer: TelemetryWriter;
  private readonly repo: TelemetryRepository;
  private readonly clock: Clock;
  private readonly maxPayloadBytes: number;
  constructor(devices: DevicesService, writer: TelemetryWriter, repo: TelemetryRepository, bus: EventBus, clock: Clock, maxPayloadBytes: number) {
    this.devices = devices;
    this.writer = writer;
    this.repo = repo;
    this.clock = clock;
    this.maxPayloadBytes = maxPayloadBytes;
    bus.subscribe('device.deleted', ({ deviceId }) => this.keysOf.delete(deviceId));
  }

  async authenticate(token: string): Promise<DeviceRef> {
    const device = await this.devices.resolveToken(token);
    if (!device) throw new AppError('DEVICE_TOKEN_INVALID', 'the access token is unknown or was revoked');
    return device;
  }

  /**
   * Returns the number of points stored. An empty object `{}` is what
   * ThingsBoard's HTTP SDK sends to check its connection: accepted, nothing stored.
   */
  telemetry(device: DeviceRef, raw: Buffer | string): Promise<number> {
    // Not async, nor is store(): every MQTT message comes through here, and each async layer was one more promise
    // to make and settle (the writer's promise is handed back as it is).
    let points: ParsedPoint[];
    let now: number;
    try {
      this.checkSize(raw);
      now = this.clock.now();
      const payload = parseJsonPayload(raw);
      if (isEmptyObject(payload)) return Promise.resolve(0);
      points = parseTelemetry(payload, now);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.store(device, points, now);
  }

  /** Points already parsed and checked (a gateway's message, split per device); resolves, with their number, once durable. */
  store(device: DeviceRef, points: ParsedPoint[], now: number): Promise<number> {
    if (points.length === 0) return Promise.resolve(0);
    // Nearly every message only has keys its device has sent before: no need to wait for anything.
    const known = this.keysOf.get(device.id);
    if (known !== undefined && allKnown(known, points)) return this.writer.write(device, points, now);
    return this.checkKeys(device, points).then(() => this.writer.write(device, points, now));
  }

  /** Refuses a message past the payload limit (any transport). */
  checkSize(raw: Buffer | string): void {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
    if (size > this.maxPayloadBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the payload has ${size} bytes; the limit is ${this.maxPayloadBytes}`);
  }

  async attributes(device: DeviceRef, raw: Buffer | string): Promise<void> {
    this.checkSize(raw);
    await this.devices.storeClientAttributes(device, parseAttributes(parseJsonPayload(raw)));
  }

  /**
   * The keys a device has sent, loaded with those of every device whose first
   * message since start came in the same turn of the event loop: after a
   * restart all connected devices send at once, and one query each would queue
   * up before their readings.
   */
  private loadKeys(deviceId: string): Promise<Set<string>> {
    const waiting = this.keysLoading.get(deviceId);
    if (waiting) return waiting;
    const loading = new Promise<Set<string>>((resolve, reject) => {
      this.keysWanted.set(deviceId, { resolve, reject });
      if (this.keysWanted.size === 1) setImmediate(() => void this.loadWantedKeys());
    });
    this.keysLoading.set(deviceId, loading);
    // Settled either way: a failed load is tried again with the device's next message.
    const forget = () => this.keysLoading.delete(deviceId);
    loading.then(forget, forget);
    return loading;
  }

  private async loadWantedKeys(): Promise<void> {
    const wanted = this.keysWanted;
    this.keysWanted = new Map();
    const ids = [...wanted.keys()];
    for (let i = 0; i < ids.length; i += KEYS_LOAD_CHUNK) {
      const chunk = ids.slice(i, i + KEYS_LOAD_CHUNK);
      try {
        const sets = new Map(chunk.map((id) => [id, new Set<string>()]));
        for (const row of await this.repo.keysOf(chunk)) sets.get(row.device_id)?.add(row.key);
        for (const [id, keys] of sets) wanted.get(id)!.resolve(keys);
      } catch (error) {
        for (const id of chunk) wanted.get(id)!.reject(error);
      }
    }
  }

  private async checkKeys(device: DeviceRef, points: { key: string }[]): Promise<void> {
    let known = this.keysOf.get(device.id);
    if (!known) {
      known = await this.loadKeys(device.id);
      // Another message of the device may have loaded them meanwhile, and added keys since: keep that set.
      const loaded = this.keysOf.get(device.id);
      if (loaded) known = loaded;
      else this.keysOf.set(device.id, known);
    }
    const fresh = new Set(points.map((p) => p.key).filter((k) => !known.has(k)));
    if (fresh.size === 0) return;
    if (known.size + fresh.size > MAX_KEYS_PER_DEVICE) {
      throw new AppError('TELEMETRY_INVALID', `a device may send at most ${MAX_KEYS_PER_DEVICE} different keys; this one has ${known.size} and the message adds ${fresh.size}`);
    }
    for (const k of fresh) known.add(k);
  }
}

/** Devices whose keys one query loads. */
const KEYS_LOAD_CHUNK = 500;

function allKnown(known: Set<string>, points: ParsedPoint[]): boolean {
  for (let i = 0; i < points.length; i++) if (!known.has(points[i]!.key)) return false;
  return true;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
