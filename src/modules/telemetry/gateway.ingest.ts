import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { checkSubDeviceName, type DeviceRef, type DevicesService, type DeviceStatusTracker, type GatewayDevices } from '../devices/index.ts';
import type { IngestService } from './telemetry.ingest.ts';
import { MAX_KEY_LENGTH, parseAttributes, parseJsonPayload, parseTelemetry, type ParsedPoint } from './telemetry.parse.ts';

/** Keys one attribute request may name. */
const MAX_REQUESTED_KEYS = 100;
/** ms between two notes of a gateway's own activity (each costs two writes; a gateway may send many messages a second). */
const GATEWAY_ACTIVITY_EVERY_MS = 60_000;

function invalid(message: string): never {
  throw new AppError('GATEWAY_MESSAGE_INVALID', message);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"Dev A": …, "Dev B": …}`: every name checked, and no more names than a message may carry (checked before anything else). */
function perDevice(payload: unknown, limit: number): [string, unknown][] {
  if (!isPlainObject(payload)) invalid('a gateway message is a JSON object: {"<device name>": …}');
  const entries = Object.entries(payload);
  if (entries.length > limit) invalid(`a message may name at most ${limit} devices; this one names ${entries.length}`);
  if (entries.length === 0) invalid('the message names no device');
  for (const [name] of entries) checkSubDeviceName(name, 'message');
  return entries;
}

function requestedKeys(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_REQUESTED_KEYS || !value.every((k) => typeof k === 'string' && k.length > 0 && k.length <= MAX_KEY_LENGTH)) {
    invalid(`${where} must be a list of at most ${MAX_REQUESTED_KEYS} attribute keys`);
  }
  return value;
}

/**
 * The gateway API (ThingsBoard IoT Gateway, `v1/gateway/*`): a gateway speaks
 * for the devices behind it. Each message is checked whole before anything is
 * stored; each device's readings then take the same path as a direct device's
 * (the group-commit writer, `telemetry.stored`, rules, alarms, the stream).
 */
export class GatewayIngest {
  private readonly ingest: IngestService;
  private readonly gateways: GatewayDevices;
  private readonly devices: DevicesService;
  private readonly status: DeviceStatusTracker;
  private readonly clock: Clock;
  /** gateway id → ms its activity was last noted */
  private readonly noted = new Map<string, number>();
  constructor(ingest: IngestService, gateways: GatewayDevices, devices: DevicesService, status: DeviceStatusTracker, clock: Clock) {
    this.ingest = ingest;
    this.gateways = gateways;
    this.devices = devices;
    this.status = status;
    this.clock = clock;
  }

  /** `v1/gateway/connect` `{"device":"Name","type":"meter"}`: the device is created if new, and online. */
  async connect(gateway: DeviceRef, raw: Buffer | string): Promise<void> {
    const { name, body } = this.named(gateway, raw);
    let type: string | undefined;
    if (body.type !== undefined) {
      if (typeof body.type !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_. -]{0,63}$/.test(body.type)) invalid('"type" must be 1–64 letters, digits, "_", ".", "-" or spaces');
      type = body.type;
    }
    const device = (await this.gateways.resolve(gateway, new Map([[name, type]]), true)).get(name);
    if (device) await this.status.connected(device);
    await this.active(gateway);
  }

  /** `v1/gateway/disconnect` `{"device":"Name"}`: offline at once (an unknown name changes nothing). */
  async disconnect(gateway: DeviceRef, raw: Buffer | string): Promise<void> {
    const { name } = this.named(gateway, raw);
    const device = (await this.gateways.resolve(gateway, new Map([[name, undefined]]), false)).get(name);
    if (device) await this.status.disconnected(device);
    await this.active(gateway);
  }

  /** `v1/gateway/telemetry` `{"Dev A":[{"ts":…,"values":{…}}],…}`; resolves once every point is durable. */
  async telemetry(gateway: DeviceRef, raw: Buffer | string): Promise<number> {
    this.gateways.assertGateway(gateway);
    this.ingest.checkSize(raw);
    const now = this.clock.now();
    const parsed: [string, ParsedPoint[]][] = [];
    for (const [name, payload] of perDevice(parseJsonPayload(raw), this.gateways.limits.devicesPerMessage)) {
      // The gateway's connect check per device: an empty object or list stores nothing, as for a device.
      if ((isPlainObject(payload) && Object.keys(payload).length === 0) || (Array.isArray(payload) && payload.length === 0)) continue;
      try {
        parsed.push([name, parseTelemetry(payload, now)]);
      } catch (error) {
        invalid(`device "${name.slice(0, 40)}": ${(error as Error).message}`);
      }
    }
    await this.active(gateway);
    if (parsed.length === 0) return 0;
    const refs = await this.gateways.resolve(gateway, new Map(parsed.map(([name]) => [name, undefined])), true);
    const stored = await Promise.all(parsed.map(([name, points]) => this.ingest.store(refs.get(name)!, points, now)));
    return stored.reduce((a, b) => a + b, 0);
  }

  /** `v1/gateway/attributes` `{"Dev A":{…},…}`: client attributes of each device. */
  async attributes(gateway: DeviceRef, raw: Buffer | string): Promise<void> {
    this.gateways.assertGateway(gateway);
    this.ingest.checkSize(raw);
    const parsed: [string, Record<string, unknown>][] = [];
    for (const [name, payload] of perDevice(parseJsonPayload(raw), this.gateways.limits.devicesPerMessage)) {
      try {
        parsed.push([name, parseAttributes(payload)]);
      } catch (error) {
        invalid(`device "${name.slice(0, 40)}": ${(error as Error).message}`);
      }
    }
    const refs = await this.gateways.resolve(gateway, new Map(parsed.map(([name]) => [name, undefined])), true);
    for (const [name, values] of parsed) await this.devices.storeClientAttributes(refs.get(name)!, values);
    await this.active(gateway);
  }

  /**
   * `v1/gateway/attributes/request`, answered on `v1/gateway/attributes/response`:
   * `{"id":1,"device":"A","client":true,"key":"x"}` → `{"id":1,"device":"A","value":…}`;
   * `"keys":[…]` (or the newer `"client":[…],"shared":[…]`) → `{"id":1,"device":"A","values":{…}}`.
   * A device the gateway never named answers without values.
   */
  async attributesRequest(gateway: DeviceRef, raw: Buffer | string): Promise<Record<string, unknown>> {
    const { name, body } = this.named(gateway, raw);
    if (typeof body.id !== 'number' || !Number.isSafeInteger(body.id)) invalid('"id" must be a whole number (it is echoed in the answer)');
    const answer: Record<string, unknown> = { id: body.id, device: name };
    let clientKeys: string[] | undefined;
    let sharedKeys: string[] | undefined;
    let single: string | undefined;
    if (Array.isArray(body.client) || Array.isArray(body.shared)) {
      if (body.client !== undefined) clientKeys = requestedKeys(body.client, '"client"');
      if (body.shared !== undefined) sharedKeys = requestedKeys(body.shared, '"shared"');
    } else {
      if (body.client !== undefined && typeof body.client !== 'boolean') invalid('"client" must be true (client attributes) or false (shared ones)');
      let keys: string[];
      if (typeof body.key === 'string') keys = [(single = body.key)];
      else keys = requestedKeys(body.keys, '"key" or "keys"');
      if (single !== undefined && (single.length === 0 || single.length > MAX_KEY_LENGTH)) invalid(`"key" must have 1–${MAX_KEY_LENGTH} characters`);
      if (body.client === true) clientKeys = keys;
      else sharedKeys = keys;
    }
    const device = (await this.gateways.resolve(gateway, new Map([[name, undefined]]), false)).get(name);
    const values: Record<string, unknown> = {};
    if (device) {
      // Both lists named: ask for both scopes; one named: only that scope (an empty list never means "all").
      const found = await this.devices.attributesForDevice(device, clientKeys ?? (sharedKeys ? [] : undefined), sharedKeys ?? (clientKeys ? [] : undefined));
      Object.assign(values, clientKeys?.length ? found.client : {}, sharedKeys?.length ? found.shared : {});
    }
    if (single !== undefined) {
      if (single in values) answer.value = values[single];
    } else answer.values = values;
    return answer;
  }

  /** The device behind the gateway an RPC answer names (null: the gateway never named it). */
  async subDevice(gateway: DeviceRef, name: string): Promise<DeviceRef | null> {
    checkSubDeviceName(name, 'RPC answer');
    return (await this.gateways.resolve(gateway, new Map([[name, undefined]]), false)).get(name) ?? null;
  }

  /**
   * A gateway that speaks is online, even when it only relays: its own last
   * activity is noted (at most once a minute), so it does not go offline
   * while its devices report.
   */
  private async active(gateway: DeviceRef): Promise<void> {
    const now = this.clock.now();
    if (now - (this.noted.get(gateway.id) ?? -Infinity) < GATEWAY_ACTIVITY_EVERY_MS) return;
    if (this.noted.size >= 100_000) this.noted.clear();
    this.noted.set(gateway.id, now);
    await this.status.connected(gateway);
  }

  private named(gateway: DeviceRef, raw: Buffer | string): { name: string; body: Record<string, unknown> } {
    this.gateways.assertGateway(gateway);
    this.ingest.checkSize(raw);
    const body = parseJsonPayload(raw);
    if (!isPlainObject(body)) invalid('the message must be a JSON object with "device"');
    return { name: checkSubDeviceName(body.device, '"device"'), body };
  }
}
