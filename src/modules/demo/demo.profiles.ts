import type { ProfileBody, ProfileCommand, ProfileKey } from '../devices/profiles.contract.ts';

const key = (k: string, id: string, en: string, unit: string | null, decimals: number, min: number | null, max: number | null): ProfileKey => ({ key: k, label: { id, en }, unit, decimals, min, max });
const button = (method: string, params: unknown, id: string, en: string): ProfileCommand => ({ method, params, label: { id, en }, oneway: false });

/**
 * The profiles of the demo's device types: what each key is called in Bahasa
 * Indonesia and English, its unit and the range it is expected in, and the
 * commands pumps and street lights accept (answered by the simulator over MQTT).
 */
export const DEMO_PROFILES: ProfileBody[] = [
  {
    type: 'river_gauge',
    name: { id: 'Pos duga air (PDA)', en: 'River gauge' },
    keys: [key('waterLevel', 'Tinggi muka air', 'Water level', 'm', 2, 0, 8), key('battery', 'Baterai', 'Battery', '%', 0, 0, 100)],
    commands: [],
    // The region's own (3 minutes in the demo): a silent gauge is the first thing BPBD must see.
    offlineTimeoutSeconds: null,
  },
  {
    type: 'rain_gauge',
    name: { id: 'Penakar hujan (ARR)', en: 'Rain gauge' },
    keys: [key('rainfall', 'Curah hujan', 'Rainfall', 'mm', 1, 0, 150)],
    commands: [],
    offlineTimeoutSeconds: null,
  },
  {
    type: 'air_quality',
    name: { id: 'Pemantau kualitas udara', en: 'Air quality monitor' },
    keys: [key('pm25', 'PM2.5', 'PM2.5', 'µg/m³', 1, 0, 500), key('pm10', 'PM10', 'PM10', 'µg/m³', 1, 0, 600)],
    commands: [],
    offlineTimeoutSeconds: null,
  },
  {
    type: 'street_light',
    name: { id: 'Lampu penerangan jalan (PJU)', en: 'Street light' },
    keys: [key('on', 'Menyala', 'On', null, 0, null, null), key('powerW', 'Daya', 'Power', 'W', 0, 0, 250), key('dim', 'Tingkat terang', 'Brightness', '%', 0, 0, 100)],
    commands: [
      button('setPower', { on: true }, 'Nyalakan', 'Switch on'),
      button('setPower', { on: false }, 'Matikan', 'Switch off'),
      { method: 'setDim', label: { id: 'Redupkan', en: 'Dim' }, input: { min: 0, max: 100, step: 5, unit: '%' }, oneway: false },
    ],
    offlineTimeoutSeconds: 600,
  },
  {
    type: 'pump',
    name: { id: 'Pompa air', en: 'Water pump' },
    keys: [key('running', 'Pompa menyala', 'Pump running', null, 0, null, null), key('flowLps', 'Debit', 'Flow', 'L/s', 0, 0, 400)],
    commands: [button('setPower', { on: true }, 'Nyalakan pompa', 'Start pump'), button('setPower', { on: false }, 'Matikan pompa', 'Stop pump')],
    offlineTimeoutSeconds: null,
  },
  {
    type: 'cctv',
    name: { id: 'Kamera CCTV', en: 'CCTV camera' },
    keys: [key('streamOk', 'Siaran video', 'Video stream', null, 0, null, null), key('fps', 'Laju bingkai', 'Frame rate', 'fps', 0, 1, 60)],
    commands: [],
    offlineTimeoutSeconds: null,
  },
  {
    type: 'tracker',
    name: { id: 'Pelacak kendaraan (GPS)', en: 'Vehicle tracker' },
    keys: [key('latitude', 'Lintang', 'Latitude', '°', 5, -90, 90), key('longitude', 'Bujur', 'Longitude', '°', 5, -180, 180), key('speedKmh', 'Kecepatan', 'Speed', 'km/h', 0, 0, 160)],
    commands: [],
    // Vehicles cross stretches without signal: offline only after 10 minutes.
    offlineTimeoutSeconds: 600,
  },
];
