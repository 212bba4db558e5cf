/**
 * The device profiles as the app uses them: read once per session, then every
 * screen words readings with them (format.ts) in the chosen language.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DeviceProfile, ProfileCommand } from '../../src/modules/devices/profiles.contract.js';
import { api } from './api.js';
import { alarmText, formatCondition, formatReading, formatValue, indexProfiles, keyLabel, keySpec, typeName, type ConditionShape, type ProfileIndex } from './format.js';
import { getLang } from './i18n.js';
import { ASSET_TYPES } from '../../src/modules/assets/asset-types.ts';

let index: ProfileIndex = new Map();
let loading: Promise<ProfileIndex> | null = null;
const listeners = new Set<() => void>();

/** Reads the profiles (once; again after `reload`); a platform without them leaves keys as they are. */
export function loadProfiles(reload = false): Promise<ProfileIndex> {
  if (!loading || reload) {
    loading = api<DeviceProfile[] | { items: DeviceProfile[] }>('GET', '/device-profiles?limit=1000')
      .then((answer) => {
        index = indexProfiles(Array.isArray(answer) ? answer : answer.items);
        for (const l of listeners) l();
        return index;
      })
      .catch(() => index);
  }
  return loading;
}

/** Re-renders the component once the profiles are in; returns them. */
export function useProfiles(): ProfileIndex {
  const [, set] = useState(0);
  useEffect(() => {
    const l = () => set((n) => n + 1);
    listeners.add(l);
    void loadProfiles();
    return () => void listeners.delete(l);
  }, []);
  return index;
}

export const profileOf = (type: string | null | undefined): DeviceProfile | undefined => (type ? index.get(type) : undefined);
export const commandsOf = (type: string | null | undefined): ProfileCommand[] => profileOf(type)?.commands ?? [];

/** The key's label: *Tinggi muka air*. */
export const labelOf = (type: string | null | undefined, key: string): string => keyLabel(keySpec(index, type, key), key, getLang());
/** The value with the key's decimals and unit: *4,30 m*. */
export const valueOf = (type: string | null | undefined, key: string, value: unknown): string => formatValue(keySpec(index, type, key), value, getLang());
/** *Tinggi muka air 4,30 m*. */
export const readingOf = (type: string | null | undefined, key: string, value: unknown): string => formatReading(index, type, key, value, getLang());
/** *Pos duga air*. */
export const typeLabel = (type: string): string => typeName(index, type, getLang());
/** *Tinggi muka air ≥ 3,5 m*. */
export const conditionOf = (type: string | null | undefined, key: string, c: ConditionShape): string => formatCondition(index, type, key, c, getLang());
/** An alarm's reading in words (*Tinggi muka air 4,30 m > 4 m*), or its message where it has no structured reading. */
export const alarmReadingOf = (type: string | null | undefined, alarm: { key: string | null; lastValue: unknown; condition?: ConditionShape | null; message: string; messageEn?: string }): string =>
  alarmText(index, type, alarm, getLang()) ?? (getLang() === 'en' ? (alarm.messageEn ?? alarm.message) : alarm.message);
/** The key's description in the type's profile (or the first profile naming it). */
export const keySpecOf = (type: string | null | undefined, key: string) => keySpec(index, type, key);
/** A unit of a key, for an axis. */
export const unitOf = (type: string | null | undefined, key: string): string | null => keySpec(index, type, key)?.unit ?? null;
/** An asset type's name: *Pos duga air sungai* for river_gauge (the asset types the platform knows, else a device profile of that type); the type itself otherwise. */
export const assetTypeLabel = (type: string): string => {
  const known = ASSET_TYPES.find((a) => a.type === type);
  return known ? known[getLang()] : typeName(index, type, getLang());
};

/** What a rule watches in words: *Jenis perangkat: Pos duga air (PDA)*, *Perangkat: PDA Sungai Beliti*; `deviceName` names a device by its id. */
export const ruleTargetText = (target: { kind: string; value: string }, deviceName: (id: string) => string | undefined): string => {
  const id = getLang() === 'id';
  if (target.kind === 'device') return `${id ? 'Perangkat' : 'Device'}: ${deviceName(target.value) ?? (id ? 'perangkat terhapus' : 'deleted device')}`;
  if (target.kind === 'device_type') return `${id ? 'Jenis perangkat' : 'Device type'}: ${typeLabel(target.value)}`;
  if (target.kind === 'asset_type') return `${id ? 'Jenis aset' : 'Asset type'}: ${assetTypeLabel(target.value)}`;
  return target.value;
};
