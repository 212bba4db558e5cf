/**
 * Values as a person reads them in a message: "4,3 m", "naik 0,4 m/jam",
 * "3 Des 2026 02.05 WIB", "Siaga". A device's profile names its keys (labels,
 * units, decimals: facts.ts); for a device without one, the quantities the
 * platform's own sensors send are named here, and any other key is shown as it is.
 */
import type { ProfileKey } from '../devices/index.ts';
import type { Language } from './templates.ts';

interface Quantity {
  name: [string, string];
  unit: string;
  decimals: number;
}

const QUANTITIES: Record<string, Quantity> = {
  waterLevel: { name: ['Tinggi muka air', 'Water level'], unit: 'm', decimals: 2 },
  rainfall: { name: ['Curah hujan', 'Rainfall'], unit: 'mm', decimals: 1 },
  pm25: { name: ['PM2.5', 'PM2.5'], unit: 'µg/m³', decimals: 0 },
  pm10: { name: ['PM10', 'PM10'], unit: 'µg/m³', decimals: 0 },
  battery: { name: ['Baterai', 'Battery'], unit: '%', decimals: 0 },
  powerW: { name: ['Daya', 'Power'], unit: 'W', decimals: 0 },
  temperature: { name: ['Suhu', 'Temperature'], unit: '°C', decimals: 1 },
  humidity: { name: ['Kelembapan', 'Humidity'], unit: '%', decimals: 0 },
  speedKmh: { name: ['Kecepatan', 'Speed'], unit: 'km/jam', decimals: 0 },
};

/** A built-in quantity as a profile's key would describe it, for a device without a profile. */
export function builtInKey(key: string | null): ProfileKey | undefined {
  const q = key === null ? undefined : QUANTITIES[key];
  return q && key !== null ? { key, label: { id: q.name[0], en: q.name[1] }, unit: q.unit, decimals: q.decimals, min: null, max: null } : undefined;
}

const LEVELS: Record<string, [string, string]> = {
  normal: ['Normal', 'Normal'],
  info: ['Info', 'Info'],
  waspada: ['Waspada', 'Waspada (watch)'],
  minor: ['Ringan', 'Minor'],
  siaga: ['Siaga', 'Siaga (alert)'],
  major: ['Berat', 'Major'],
  awas: ['Awas', 'Awas (warning)'],
  critical: ['Kritis', 'Critical'],
};

const pick = (pair: [string, string], language: Language) => pair[language === 'id' ? 0 : 1];

/** "Tinggi muka air" for waterLevel; a key nobody named is shown as it is. */
export function quantityName(key: string | null, language: Language): string {
  if (key === null) return language === 'id' ? 'Perangkat' : 'Device';
  const q = QUANTITIES[key];
  return q ? pick(q.name, language) : key;
}

export function levelName(severity: string, language: Language): string {
  const pair = LEVELS[severity];
  return pair ? pick(pair, language) : severity;
}

export function formatNumber(value: number, decimals: number, language: Language): string {
  return new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(value);
}

/** "4,3 m"; a value that is not a number is shown as text. */
export function formatValue(key: string | null, value: unknown, language: Language): string {
  if (typeof value !== 'number') return value === null || value === undefined ? '–' : String(value);
  const q = key === null ? undefined : QUANTITIES[key];
  const text = formatNumber(value, q?.decimals ?? 2, language);
  return q ? `${text} ${q.unit}` : text;
}

/** "naik 0,4 m/jam", "turun 0,1 m/jam", "stabil"; null rate: not known yet. */
export function formatTrend(key: string | null, perHour: number | null, language: Language, profileKey?: Pick<ProfileKey, 'unit' | 'decimals'>): string {
  if (perHour === null) return language === 'id' ? 'tren belum diketahui' : 'trend not known yet';
  const q = profileKey ? (profileKey.unit === null ? undefined : { unit: profileKey.unit, decimals: profileKey.decimals }) : key === null ? undefined : QUANTITIES[key];
  const decimals = Math.max(1, q?.decimals ?? 2);
  const magnitude = formatNumber(Math.abs(perHour), decimals, language);
  if (Number(magnitude.replace(',', '.')) === 0) return language === 'id' ? 'stabil' : 'steady';
  const unit = q ? `${q.unit}/${language === 'id' ? 'jam' : 'h'}` : language === 'id' ? 'per jam' : 'per hour';
  const word = perHour > 0 ? (language === 'id' ? 'naik' : 'rising') : language === 'id' ? 'turun' : 'falling';
  return `${word} ${magnitude} ${unit}`;
}

/** Indonesia's three zones by their everyday names; elsewhere the zone's own short name. */
const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** "3 Des 2026 02.05 WIB" (id) or "3 Dec 2026 02:05 WIB" (en), in the region's zone. */
export function formatTime(ms: number, timeZone: string, language: Language): string {
  const parts = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = ZONE_NAMES[timeZone] ?? new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const separator = language === 'id' ? '.' : ':';
  return `${get('day')} ${get('month').replace('.', '')} ${get('year')} ${get('hour')}${separator}${get('minute')} ${zone}`;
}

/** Minutes of the local day (0–1439) at an instant, for quiet hours. */
export function minuteOfDay(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}
