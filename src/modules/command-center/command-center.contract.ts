import { Type, type Static } from 'typebox';
import { Alarm } from '../alarms/alarms.contract.ts';
import { Asset } from '../assets/assets.contract.ts';
import { Device } from '../devices/devices.contract.ts';
import { Layer, RegionWithTiles, type RegionLayer } from '../identity/identity.contract.ts';
import { LatestResponse } from '../telemetry/telemetry.contract.ts';

/**
 * The command center's first screen in one answer: what GET /region, /region/layers,
 * /assets, /devices, /telemetry/latest and /alarms?status=active answer, every page of
 * each. One request instead of nine on a link where each round trip costs 150 ms and a
 * browser opens six connections; the live stream keeps it current afterwards.
 */
export const FirstScreen = Type.Object({
  region: RegionWithTiles,
  layers: Type.Array(Layer),
  assets: Type.Array(Asset),
  devices: Type.Array(Device),
  latest: Type.Record(Type.String(), LatestResponse, { description: 'latest values by device, then key, as GET /telemetry/latest' }),
  alarms: Type.Array(Alarm, { description: 'the active alarms, newest first' }),
});
// The layers' GeoJSON is checked when a layer is stored (identity), not described in the schema: typed here as identity types it.
export type FirstScreen = Omit<Static<typeof FirstScreen>, 'layers'> & { layers: RegionLayer[] };
