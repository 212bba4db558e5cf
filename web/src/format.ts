/**
 * Readings as people read them, from the device profiles: (type, key, value) →
 * *Tinggi muka air 4,30 m* in Bahasa Indonesia, *Water level 4.30 m* in English,
 * with the profile's decimals and unit; the key itself where no profile names it.
 * Pure (the language is an argument): the app's wrappers are in profiles.ts, and
 * the unit tests import this file as it is.
 */
import type { DeviceProfile, ProfileKey } from '../../src/modules/devices/profiles.contract.js';

export type Lang = 'id' | 'en';

/** The profiles by device type. */
export type ProfileIndex = ReadonlyMap<string, DeviceProfile>;

export function indexProfiles(profiles: readonly DeviceProfile[]): ProfileIndex {
  return new Map(profiles.map((p) => [p.type, p]));
}

const locale = (lang: Lang) => (lang === 'id' ? 'id-ID' : 'en-GB');

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, min: number, max: number): Intl.NumberFormat {
  const id = `${lang}:${min}:${max}`;
  let f = formats.get(id);
  if (!f) formats.set(id, (f = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: min, maximumFractionDigits: max })));
  return f;
}

/**
 * The key's description: the device type's profile first; for an alarm or rule
 * whose type is not known, the first profile that names the key.
 */
export function keySpec(profiles: ProfileIndex, type: string | null | undefined, key: string): ProfileKey | undefined {
  const own = type ? profiles.get(type)?.keys.find((k) => k.key === key) : undefined;
  if (own || type) return own;
  for (const p of profiles.values()) {
    const found = p.keys.find((k) => k.key === key);
    if (found) return found;
  }
  return undefined;
}

/** The key's label in the language, or the key itself. */
export function keyLabel(spec: ProfileKey | undefined, key: string, lang: Lang): string {
  return spec ? spec.label[lang] : key;
}

/**
 * A number with the profile's decimals (a reading: always that many, so a column
 * lines up) or, `trim`, at most that many (a threshold: *4 m*, not *4,00 m*).
 * Without a profile: at most 2 decimals.
 */
export function formatNumber(value: number, lang: Lang, decimals?: number, trim = false): string {
  if (!Number.isFinite(value)) return String(value);
  const max = decimals ?? 2;
  // A threshold keeps what was typed (3,75 with 1 decimal stays 3,75): trimming never rounds a rule's number away.
  const shown = trim ? Math.max(max, Math.min(6, (String(value).split('.')[1] ?? '').length)) : max;
  return numberFormat(lang, trim || decimals === undefined ? 0 : max, shown).format(value);
}

/** A value with its unit: *4,30 m*, *35 µg/m³*; yes/no, text and JSON as they are. */
export function formatValue(spec: ProfileKey | undefined, value: unknown, lang: Lang, trim = false): string {
  if (typeof value === 'number') {
    const n = formatNumber(value, lang, spec?.decimals, trim);
    return spec?.unit ? `${n} ${spec.unit}` : n;
  }
  if (typeof value === 'boolean') return value ? (lang === 'id' ? 'ya' : 'yes') : lang === 'id' ? 'tidak' : 'no';
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** *Tinggi muka air 4,30 m*. */
export function formatReading(profiles: ProfileIndex, type: string | null | undefined, key: string, value: unknown, lang: Lang): string {
  const spec = keySpec(profiles, type, key);
  return `${keyLabel(spec, key, lang)} ${formatValue(spec, value, lang)}`;
}

/** The device type's name: *Pos duga air* for river_gauge; the type itself without a profile. */
export function typeName(profiles: ProfileIndex, type: string, lang: Lang): string {
  return profiles.get(type)?.name[lang] ?? type;
}

/** A condition as an alarm or a rule keeps it. */
export interface ConditionShape {
  op: string;
  value?: unknown;
  min?: unknown;
  max?: unknown;
  minutes?: unknown;
}

const SYMBOLS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };
const WORDS: Record<string, [string, string]> = {
  between: ['antara', 'between'],
  outside: ['di luar', 'outside'],
  and: ['dan', 'and'],
  rate_gt: ['naik lebih cepat dari', 'rising faster than'],
  rate_lt: ['berubah lebih lambat dari', 'changing slower than'],
  perMinute: ['/menit', '/min'],
  silence: ['tidak ada data selama', 'no data for'],
  minutes: ['menit', 'min'],
  any: ['Data apa pun', 'Any data'],
};
const word = (w: string, lang: Lang) => WORDS[w]![lang === 'id' ? 0 : 1];

/**
 * A condition in words with the key's label and unit: *Tinggi muka air ≥ 3,5 m*;
 * with the reading that met it: *Tinggi muka air 4,30 m > 4 m*.
 */
export function formatCondition(profiles: ProfileIndex, type: string | null | undefined, key: string, c: ConditionShape, lang: Lang, reading?: unknown): string {
  const spec = key === '*' ? undefined : keySpec(profiles, type, key);
  const name = key === '*' ? word('any', lang) : keyLabel(spec, key, lang);
  const v = (x: unknown) => formatValue(spec, x, lang, true);
  const subject = reading === undefined || reading === null ? name : `${name} ${formatValue(spec, reading, lang)}`;
  if (c.op in SYMBOLS) return `${subject} ${SYMBOLS[c.op]} ${v(c.value)}`;
  if (c.op === 'between' || c.op === 'outside') return `${subject} ${word(c.op, lang)} ${v(c.min)} ${word('and', lang)} ${v(c.max)}`;
  if (c.op === 'rate_gt' || c.op === 'rate_lt') return `${name} ${word(c.op, lang)} ${v(c.value)}${word('perMinute', lang)}`;
  if (c.op === 'silence') return `${word('silence', lang)} ${formatNumber(Number(c.minutes), lang)} ${word('minutes', lang)} (${name})`;
  return subject;
}

/** What an alarm is about, from its structured fields: the condition met with the reading, or the reading alone; null when it has neither (use its message). */
export function alarmText(profiles: ProfileIndex, type: string | null | undefined, alarm: { key: string | null; lastValue: unknown; condition?: ConditionShape | null }, lang: Lang): string | null {
  if (alarm.key === null) return null;
  if (alarm.condition) return formatCondition(profiles, type, alarm.key, alarm.condition, lang, alarm.key === '*' ? undefined : alarm.lastValue);
  if (alarm.key === '*' || alarm.lastValue === null || alarm.lastValue === undefined) return null;
  return formatReading(profiles, type, alarm.key, alarm.lastValue, lang);
}

/** Times on charts and lists: 24-hour clock in the region's zone, in the language's order (never 12-hour US style). */
export function formatClock(ms: number, lang: Lang, withDate: boolean, zone = 'Asia/Jakarta'): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', ...(withDate && { day: 'numeric', month: 'short' }) }).format(new Date(ms));
}

/**
 * A point as people in the region write it: *3,21700° LS · 103,03300° BT* in
 * Bahasa Indonesia (Lintang Selatan, Bujur Timur), *3.21700° S · 103.03300° E*
 * in English; 5 decimals is about a metre.
 */
export function formatCoordinates(lon: number, lat: number, lang: Lang, decimals = 5): string {
  const n = (v: number) => numberFormat(lang, decimals, decimals).format(Math.abs(v));
  const [south, north, east, west] = lang === 'id' ? ['LS', 'LU', 'BT', 'BB'] : ['S', 'N', 'E', 'W'];
  return `${n(lat)}° ${lat < 0 ? south : north} · ${n(lon)}° ${lon < 0 ? west : east}`;
}

/**
 * A number typed as text in an Indonesian document (a target of *2,9* or
 * *3.000* in the RKPD) in the screen's language; any other text as it is.
 */
export function numberText(text: string, lang: Lang): string {
  const t = text.trim();
  if (!/^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/.test(t)) return text;
  const value = Number(t.replace(/\./g, '').replace(',', '.'));
  const decimals = (t.split(',')[1] ?? '').length;
  return numberFormat(lang, decimals, decimals).format(value);
}

/**
 * A number in a text input in the screen's language: *1,25* in Bahasa Indonesia,
 * *1.25* in English, without grouping (so it reads back as typed); '' for none.
 * (An `<input type=number>` shows the browser's locale, whatever the screen's language.)
 */
export function inputNumber(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return new Intl.NumberFormat(locale(lang), { useGrouping: false, maximumFractionDigits: 6 }).format(value).replace('\u2212', '-');
}

/** A number typed in a text input, with a comma or a dot for the decimals: null when empty, NaN when it is not a number. */
export function parseInputNumber(text: string): number | null {
  const t = text.trim().replace(/\u2212/g, '-');
  if (t === '') return null;
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(t)) return Number.NaN;
  return Number(t.replace(',', '.'));
}

/**
 * The value of a native date, month or datetime-local input (*2026-12-03*,
 * *2026-12*, *2026-12-03T10:00*) written in the screen's language: *3 Desember
 * 2026*, *Desember 2026*, *3 Desember 2026 pukul 10.00*; '' for anything else.
 * The picker itself shows the browser's locale, which a page cannot change.
 */
export function formatDateValue(value: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?$/.exec(value.trim());
  if (!m) return '';
  const [, y, mo, d, h, mi] = m.map((x) => (x === undefined ? undefined : Number(x)));
  const date = new Date(Date.UTC(y!, mo! - 1, d ?? 1, h ?? 0, mi ?? 0));
  if (date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== (d ?? 1) || date.getUTCHours() !== (h ?? 0)) return '';
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    ...(m[3] && { day: 'numeric' }),
    ...(m[4] && { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  }).format(date);
}

/** Today's date (YYYY-MM-DD) on the region's clock: a form's default date, not UTC's (which is yesterday before 07:00 WIB). */
export function todayIn(zone = 'Asia/Jakarta', now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}
