import type { Page } from '../../core/paging.ts';
import type { Alarm } from '../alarms/alarms.contract.ts';
import type { Asset } from '../assets/assets.contract.ts';
import type { Device } from '../devices/devices.contract.ts';
import type { Principal, Region } from '../identity/index.ts';
import type { RegionLayer } from '../identity/identity.contract.ts';
import type { LatestValues } from '../telemetry/telemetry.contract.ts';
import type { FirstScreen } from './command-center.contract.ts';

/** What the first screen reads, each as its own route answers it (same checks, same region, same OPD rules). */
export interface FirstScreenSources {
  region(regionId: string): Promise<Region>;
  layers(p: Principal): Promise<RegionLayer[]>;
  assets(p: Principal, limit: number, cursor: string | undefined): Promise<Page<Asset>>;
  devices(p: Principal, limit: number, cursor: string | undefined): Promise<Page<Device>>;
  latest(p: Principal): Promise<Record<string, LatestValues>>;
  activeAlarms(p: Principal, limit: number, cursor: string | undefined): Promise<Page<Alarm>>;
}

/** The largest page the list routes give; the first screen takes every page. */
const PAGE = 1000;

/** Every item of a paged list, a page of PAGE at a time. */
export async function everyPage<T>(read: (limit: number, cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(PAGE, cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The command center's first screen (contract: command-center.contract.ts). */
export class FirstScreenReader {
  private readonly sources: FirstScreenSources;
  private readonly tiles: { tileUrl: string | null; basemapUrl: string | null };
  constructor(sources: FirstScreenSources, tiles: { tileUrl: string | null; basemapUrl: string | null }) {
    this.sources = sources;
    this.tiles = tiles;
  }

  async read(p: Principal): Promise<FirstScreen> {
    const s = this.sources;
    const [region, layers, assets, devices, latest, alarms] = await Promise.all([
      s.region(p.regionId),
      s.layers(p),
      everyPage((limit, cursor) => s.assets(p, limit, cursor)),
      everyPage((limit, cursor) => s.devices(p, limit, cursor)),
      s.latest(p),
      everyPage((limit, cursor) => s.activeAlarms(p, limit, cursor)),
    ]);
    return { region: { ...region, ...this.tiles }, layers, assets, devices, latest, alarms };
  }
}
