import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { DeviceRef, DevicesService } from '../devices/index.js';
import { parseAttributes, parseJsonPayload, parseTelemetry } from './telemetry.parse.js';
import type { TelemetryWriter } from './telemetry.writer.js';

/**
 * What a device sends, from any transport: check the token, parse and validate
 * the whole message, then store it. Resolves once the message is durable.
 */
export class IngestService {
  constructor(
    private readonly devices: DevicesService,
    private readonly writer: TelemetryWriter,
    private readonly clock: Clock,
    private readonly maxPayloadBytes: number,
  ) {}

  async authenticate(token: string): Promise<DeviceRef> {
    const device = await this.devices.resolveToken(token);
    if (!device) throw new AppError('DEVICE_TOKEN_INVALID', 'the access token is unknown or was revoked');
    return device;
  }

  /** Returns the number of points stored. */
  async telemetry(device: DeviceRef, raw: Buffer | string): Promise<number> {
    this.checkSize(raw);
    const now = this.clock.now();
    const points = parseTelemetry(parseJsonPayload(raw), now);
    await this.writer.write(device, points, now);
    return points.length;
  }

  async attributes(device: DeviceRef, raw: Buffer | string): Promise<void> {
    this.checkSize(raw);
    await this.devices.storeClientAttributes(device, parseAttributes(parseJsonPayload(raw)));
  }

  private checkSize(raw: Buffer | string): void {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
    if (size > this.maxPayloadBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the payload has ${size} bytes; the limit is ${this.maxPayloadBytes}`);
  }
}
