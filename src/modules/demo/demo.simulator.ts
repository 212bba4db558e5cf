import mqtt, { type MqttClient } from 'mqtt';
import seedrandom from 'seedrandom';
import type { Clock } from '../../core/clock.ts';
import { PeriodicJob } from '../../core/periodic-job.ts';
import { KECAMATAN_CENTRES } from './demo.places.ts';
import type { DemoDevice } from './demo.seed.ts';

const MIN = 60_000;

/** Where the simulator sends: the platform's own device API. */
export interface SimulatorTarget {
  httpUrl: string;
  /** null: the embedded broker is off, everything goes over HTTP */
  mqttPort: number | null;
}

export interface SimulatorOptions {
  seed?: string;
  /** ms between readings of each device */
  stepMs?: number;
  clock: Clock;
  onError?: (error: unknown) => void;
}

/**
 * Sensors of the demo, deterministic from a seed: daily cycles, river levels
 * that follow the rain, a scripted flood rise on the Kelingi at Muara Kelingi
 * (Siaga within about five minutes) and, later, at the Tugumulyo polder (Awas
 * from about minute 13: the rule there proposes starting pump 2, for an
 * operator of PUPR to confirm), a haze episode over Megang Sakti, one gauge
 * that goes silent, and vehicles that move. It speaks the real device API:
 * river gauges, vehicle trackers, pumps and street lights over MQTT, the rest
 * over HTTP. Pumps and street lights answer commands (ThingsBoard server-side
 * RPC on `v1/devices/me/rpc/request/$id`): an operator's command overrides their
 * schedule until the simulator restarts.
 */
export class DemoSimulator {
  private readonly random: () => number;
  private readonly started: number;
  private readonly clients = new Map<string, MqttClient>();
  private timer: PeriodicJob | undefined;
  private readonly rain = new Map<string, number>();
  /** what operators set by command, per device label: power and brightness */
  private readonly overrides = new Map<string, { on?: boolean; dim?: number }>();
  private step = 0;

  private readonly devices: { id: string; token: string; device: DemoDevice }[];
  private readonly target: SimulatorTarget;
  private readonly options: SimulatorOptions;
  constructor(devices: { id: string; token: string; device: DemoDevice }[], target: SimulatorTarget, options: SimulatorOptions) {
    this.devices = devices;
    this.target = target;
    this.options = options;
    this.random = seedrandom(options.seed ?? 'musi-rawas');
    this.started = options.clock.now();
  }

  async start(): Promise<void> {
    if (this.target.mqttPort !== null) {
      for (const d of this.devices) {
        const commanded = d.device.kind === 'pump' || d.device.kind === 'light';
        if (d.device.kind !== 'river' && d.device.kind !== 'vehicle' && !commanded) continue;
        const client = mqtt.connect(`mqtt://127.0.0.1:${this.target.mqttPort}`, { username: d.token, reconnectPeriod: 5000, clientId: d.device.label.replace(':', '-') });
        client.on('error', () => {});
        if (commanded) {
          // Subscribed again on every (re)connect: the broker keeps no session for a clean client.
          client.on('connect', () => client.subscribe('v1/devices/me/rpc/request/+', { qos: 1 }, () => {}));
          client.on('message', (topic, payload) => this.answer(client, d.device, topic, payload));
        }
        this.clients.set(d.device.label, client);
      }
    }
    await this.tick();
    this.timer = new PeriodicJob({
      name: 'demo simulator',
      everyMs: this.options.stepMs ?? 5000,
      run: () => this.tick(),
      log: { error: ({ err }) => this.options.onError?.(err) },
    });
    this.timer.start();
  }

  async stop(): Promise<void> {
    await this.timer?.stop();
    await Promise.all([...this.clients.values()].map((c) => c.endAsync(true).catch(() => {})));
  }

  /** One reading from every device still reporting. */
  async tick(): Promise<void> {
    const now = this.options.clock.now();
    const minutes = (now - this.started) / MIN;
    this.step++;
    await Promise.all(
      this.devices.map(async (d) => {
        const values = this.reading(d.device, now, minutes);
        if (values === null) return;
        try {
          await this.send(d, { ts: now, values });
        } catch (error) {
          this.options.onError?.(error);
        }
      }),
    );
  }

  /** The values a device reports now, or null once it has gone silent. */
  reading(d: DemoDevice, now: number, minutes: number): Record<string, number | boolean | string> | null {
    const noise = (scale: number) => (this.random() - 0.5) * 2 * scale;
    const hour = (new Date(now).getUTCHours() + 7) % 24; // WIB
    const daily = Math.sin(((hour - 9) / 24) * 2 * Math.PI); // warmest and driest mid-afternoon
    switch (d.kind) {
      case 'rain': {
        const wet = d.district === '16.05.03' && minutes > 0.5 && minutes < 12 ? 18 : 0;
        const mm = Math.max(0, wet + (this.random() < 0.1 ? this.random() * 6 : 0) + noise(0.5));
        this.rain.set(d.district, mm);
        return { rainfall: round(mm, 1) };
      }
      case 'river': {
        if (d.label === 'demo:pda-lakitan' && minutes > 2) return null; // goes silent: shown offline, then an alarm
        let level = 1.6 + 0.1 * daily + noise(0.03) + (this.rain.get(d.district) ?? 0) * 0.01;
        if (d.label === 'demo:pda-kelingi-muara') level = floodCurve(minutes) + noise(0.02);
        if (d.label === 'demo:pda-kelingi-tugumulyo') level = Math.max(level, polderCurve(minutes) + noise(0.02));
        return { waterLevel: round(level, 2), battery: round(95 - minutes * 0.05 + noise(0.2), 1) };
      }
      case 'air': {
        let pm25 = 28 + 8 * -daily + noise(4);
        if (d.label === 'demo:aqm-megang-sakti') pm25 += hazeCurve(minutes);
        if (d.label === 'demo:aqm-muara-kelingi') pm25 += hazeCurve(minutes - 1.5) * 0.6;
        return { pm25: round(Math.max(3, pm25), 1), pm10: round(Math.max(5, pm25 * 1.4 + noise(5)), 1) };
      }
      case 'light': {
        const night = hour >= 18 || hour < 6;
        const faulty = d.label === 'demo:pju-5';
        const set = this.overrides.get(d.label);
        const on = !faulty && (set?.on ?? night);
        const dim = set?.dim ?? 100;
        return { on, dim, powerW: on ? round(((120 + noise(6)) * dim) / 100, 0) : 0 };
      }
      case 'pump': {
        const scheduled = d.label === 'demo:pompa-muara-kelingi' ? floodCurve(minutes) > 3.2 : d.label === 'demo:pompa-tugumulyo-2' ? false : hour >= 6 && hour < 17;
        const running = this.overrides.get(d.label)?.on ?? scheduled;
        return { running, flowLps: running ? round(240 + noise(15), 0) : 0 };
      }
      case 'cctv':
        return { streamOk: this.random() > 0.02, fps: round(15 + noise(1), 0) };
      case 'vehicle': {
        const [lon, lat] = route(d.label, minutes);
        return { latitude: round(lat, 5), longitude: round(lon, 5), speedKmh: round(35 + noise(10), 0) };
      }
    }
  }

  /**
   * A command to a pump or street light: `setPower` {on}, `setDim` (0–100, a
   * number or {value}), `getState`; the answer goes to
   * `v1/devices/me/rpc/response/$id`, and the next reading shows the change.
   */
  private answer(client: MqttClient, d: DemoDevice, topic: string, payload: Buffer): void {
    const id = topic.slice('v1/devices/me/rpc/request/'.length);
    if (!/^\d{1,10}$/.test(id)) return;
    let request: { method?: unknown; params?: unknown };
    try {
      request = JSON.parse(payload.toString('utf8')) as typeof request;
    } catch {
      request = {};
    }
    const state = this.overrides.get(d.label) ?? {};
    const params = request.params;
    const value = (v: unknown) => (typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v);
    let response: unknown;
    if (request.method === 'setPower') {
      const on = typeof params === 'boolean' ? params : typeof params === 'object' && params !== null ? (params as { on?: unknown }).on : undefined;
      response = typeof on === 'boolean' ? ((state.on = on), { ok: true, on }) : { ok: false, error: 'params must be {"on": true|false}' };
    } else if (request.method === 'setDim' && d.kind === 'light') {
      const level = Number(value(params));
      response = Number.isFinite(level) && level >= 0 && level <= 100 ? ((state.dim = Math.round(level)), { ok: true, dim: state.dim }) : { ok: false, error: 'the level must be 0–100' };
    } else if (request.method === 'getState') {
      response = { ok: true, ...state };
    } else {
      response = { ok: false, error: `unknown method ${String(request.method)}` };
    }
    this.overrides.set(d.label, state);
    client.publish(`v1/devices/me/rpc/response/${id}`, JSON.stringify(response), { qos: 1 }, () => {});
  }

  private async send(d: { token: string; device: DemoDevice }, payload: unknown): Promise<void> {
    const client = this.clients.get(d.device.label);
    if (client?.connected) {
      await client.publishAsync('v1/devices/me/telemetry', JSON.stringify(payload), { qos: 1 });
      return;
    }
    const res = await fetch(`${this.target.httpUrl}/api/v1/${d.token}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    if (!res.ok) throw new Error(`demo device ${d.device.label}: HTTP ${res.status}`);
  }
}

/** Kelingi at Muara Kelingi: 2.2 m, rising from minute 1 to 4.3 m at minute 6, holding, falling after minute 20. */
export function floodCurve(minutes: number): number {
  if (minutes < 1) return 2.2;
  if (minutes < 6) return 2.2 + (minutes - 1) * 0.42;
  if (minutes < 20) return 4.3;
  return Math.max(2.2, 4.3 - (minutes - 20) * 0.15);
}

/**
 * Kelingi at the Tugumulyo polder: at its usual level until minute 9, then
 * rising to 4.4 m at minute 13 (over the 4.0 m of Awas from about minute 12),
 * holding until minute 24, falling after: late enough that the first flood is
 * the one operators see first, long enough that the polder rule's minute at
 * Awas passes.
 */
export function polderCurve(minutes: number): number {
  if (minutes < 9) return 0;
  if (minutes < 13) return 1.6 + (minutes - 9) * 0.7;
  if (minutes < 24) return 4.4;
  return Math.max(0, 4.4 - (minutes - 24) * 0.2);
}

/** Extra PM2.5 of a haze episode: rising from minute 2, about +220 µg/m³ at minute 7, clearing after minute 25. */
export function hazeCurve(minutes: number): number {
  if (minutes < 2) return 0;
  if (minutes < 7) return (minutes - 2) * 44;
  if (minutes < 25) return 220;
  return Math.max(0, 220 - (minutes - 25) * 20);
}

/** Vehicles shuttle between kecamatan centres, a leg every 4 minutes. */
function route(label: string, minutes: number): [number, number] {
  const legs: Record<string, string[]> = {
    'demo:trc-bpbd-1': ['16.05.09', '16.05.12', '16.05.03', '16.05.12'],
    'demo:trc-bpbd-2': ['16.05.09', '16.05.01', '16.05.21', '16.05.01'],
    'demo:ambulans-1': ['16.05.09', '16.05.18', '16.05.08', '16.05.18'],
    'demo:damkar-1': ['16.05.12', '16.05.03', '16.05.14', '16.05.03'],
  };
  const stops = (legs[label] ?? ['16.05.09', '16.05.01']).map((c) => KECAMATAN_CENTRES[c]!);
  const t = minutes / 4;
  const i = Math.floor(t) % stops.length;
  const f = t - Math.floor(t);
  const a = stops[i]!;
  const b = stops[(i + 1) % stops.length]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

function round(n: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(n * p) / p;
}
