/**
 * An alarm's reading in words, from the device's profile, for texts the server
 * writes (notification messages, the incident an alarm opens): *Tinggi muka air
 * 4,30 m > 4 m* / *Water level 4.30 m > 4 m*; the key itself where no profile
 * names it. The web app words screens the same way (web/src/format.ts); the two
 * cannot share a file (the web imports only types from the server).
 */
import type { ProfileKey } from './profiles.contract.ts';

export type WordsLanguage = 'id' | 'en';

/** A condition as an alarm keeps it (core/events.ts AlarmCondition). */
export interface ConditionWords {
  op: string;
  value?: number;
  min?: number;
  max?: number;
  minutes?: number;
}

const locale = (lang: WordsLanguage) => (lang === 'id' ? 'id-ID' : 'en-GB');
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
const word = (w: string, lang: WordsLanguage) => WORDS[w]![lang === 'id' ? 0 : 1];

/** The key's label in the language, or the key itself. */
export function keyLabel(spec: ProfileKey | undefined, key: string, lang: WordsLanguage): string {
  return spec ? spec.label[lang] : key;
}

/** A reading with the profile's decimals (always that many), or a threshold (`trim`: as typed, *4 m*); its unit after it. */
export function valueWords(spec: ProfileKey | undefined, value: unknown, lang: WordsLanguage, trim = false): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const max = spec?.decimals ?? 2;
    const shown = trim ? Math.max(max, Math.min(6, (String(value).split('.')[1] ?? '').length)) : max;
    const n = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: trim || spec === undefined ? 0 : max, maximumFractionDigits: shown }).format(value);
    return spec?.unit ? `${n} ${spec.unit}` : n;
  }
  if (typeof value === 'boolean') return value ? (lang === 'id' ? 'ya' : 'yes') : lang === 'id' ? 'tidak' : 'no';
  if (value === null || value === undefined) return '–';
  return typeof value === 'string' ? value.slice(0, 200) : JSON.stringify(value).slice(0, 200);
}

/** *Tinggi muka air 4,30 m > 4 m*: the condition an alarm's reading met; null when it has no structured reading (use its message). */
export function alarmReadingWords(spec: ProfileKey | undefined, alarm: { key: string | null; lastValue: unknown; condition?: ConditionWords | null }, lang: WordsLanguage): string | null {
  const key = alarm.key;
  if (key === null) return null;
  const name = key === '*' ? word('any', lang) : keyLabel(spec, key, lang);
  const c = alarm.condition;
  if (!c) return key === '*' || alarm.lastValue === null || alarm.lastValue === undefined ? null : `${name} ${valueWords(spec, alarm.lastValue, lang)}`;
  const subject = key === '*' || alarm.lastValue === null || alarm.lastValue === undefined ? name : `${name} ${valueWords(spec, alarm.lastValue, lang)}`;
  const v = (x: unknown) => valueWords(spec, x, lang, true);
  if (c.op in SYMBOLS) return `${subject} ${SYMBOLS[c.op]} ${v(c.value)}`;
  if (c.op === 'between' || c.op === 'outside') return `${subject} ${word(c.op, lang)} ${v(c.min)} ${word('and', lang)} ${v(c.max)}`;
  if (c.op === 'rate_gt' || c.op === 'rate_lt') return `${name} ${word(c.op, lang)} ${v(c.value)}${word('perMinute', lang)}`;
  if (c.op === 'silence') return `${word('silence', lang)} ${new Intl.NumberFormat(locale(lang)).format(Number(c.minutes))} ${word('minutes', lang)} (${name})`;
  return subject;
}

/** The profile as the words need it: its keys (a DeviceProfile fits). */
export interface ProfileWords {
  keys: readonly ProfileKey[];
}

const specOf = (profile: ProfileWords | null | undefined, key: string) => profile?.keys.find((k) => k.key === key);

/**
 * A reading as people read it, for every text the platform writes (alarms,
 * incident titles, notifications): *Tinggi muka air 4,30 m* / *Water level
 * 4.30 m*, with the profile's label, unit and decimals; the key itself where
 * the profile does not name it.
 */
export function describeReading(profile: ProfileWords | null | undefined, key: string, value: unknown, lang: WordsLanguage): string {
  const spec = specOf(profile, key);
  return `${keyLabel(spec, key, lang)} ${valueWords(spec, value, lang)}`;
}

/** A rule's condition in words (*Tinggi muka air > 3,5 m*, *tidak ada data selama 30 menit (Tinggi muka air)*), with the reading that met it when given. */
export function describeCondition(profile: ProfileWords | null | undefined, key: string, condition: ConditionWords, lang: WordsLanguage, reading?: unknown): string {
  return alarmReadingWords(key === '*' ? undefined : specOf(profile, key), { key, lastValue: reading ?? null, condition }, lang)!;
}

/** What an alarm says in both languages: *Tinggi muka air 4,30 m > 4 m* / *Water level 4.30 m > 4 m*; null when it has no structured reading. */
export function alarmMessages(profile: ProfileWords | null | undefined, alarm: { key: string | null; lastValue: unknown; condition?: ConditionWords | null }): { id: string; en: string } | null {
  const spec = alarm.key === null ? undefined : specOf(profile, alarm.key);
  const id = alarmReadingWords(spec, alarm, 'id');
  const en = alarmReadingWords(spec, alarm, 'en');
  return id === null || en === null ? null : { id, en };
}

/** The words of the alarms the platform raises itself, not a rule: [Bahasa Indonesia, English]. */
export const SYSTEM_ALARM_WORDS = {
  offline: ['Perangkat berhenti mengirim data', 'Device stopped reporting'],
  online: ['Perangkat mengirim data lagi', 'Device reporting again'],
  dataAgain: ['Data masuk lagi', 'Data arrived again'],
  cleared: ['Selesai', 'Cleared'],
} as const satisfies Record<string, readonly [string, string]>;

/** An alarm's reading in words from its device's profile, for a module that has the alarm only (the incident it opens). */
export class AlarmReadingWords {
  private readonly devices: { find(regionId: string, id: string): Promise<{ type: string } | null> };
  private readonly profiles: { forType(regionId: string, type: string): Promise<{ keys: ProfileKey[] } | null> };
  constructor(devices: AlarmReadingWords['devices'], profiles: AlarmReadingWords['profiles']) {
    this.devices = devices;
    this.profiles = profiles;
  }

  /** null: the alarm has no structured reading (offline, older alarms). */
  async of(regionId: string, alarm: { deviceId: string | null; key: string | null; lastValue: unknown; condition?: ConditionWords | null }, lang: WordsLanguage): Promise<string | null> {
    const device = alarm.deviceId ? await this.devices.find(regionId, alarm.deviceId) : null;
    const profile = device && alarm.key !== null ? await this.profiles.forType(regionId, device.type) : null;
    return alarmReadingWords(profile?.keys.find((k) => k.key === alarm.key), alarm, lang);
  }
}
