/** What the duty screens (Jadwal piket, Kebijakan eskalasi, the Piket sekarang card) share: texts, positions, the people of an OPD, time in the region's zone. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { getLang, texts } from '../i18n.js';
import { POSITION_NAMES } from '../../../src/modules/identity/identity.constants.ts';
import type { Opd } from '../../../src/modules/identity/identity.contract.ts';

export const dx = texts({
  rosterTab: ['Jadwal piket', 'Duty roster'],
  policyTab: ['Kebijakan eskalasi', 'Escalation policies'],
  nowTitle: ['Piket sekarang', 'On duty now'],
  nobody: ['tidak ada yang piket', 'nobody on duty'],
  noRoster: ['Belum ada jadwal piket.', 'No duty roster yet.'],
  until: ['s.d.', 'until'],
  opd: ['OPD', 'Agency (OPD)'],
  day: ['Hari', 'Day'],
  start: ['Mulai', 'Start'],
  end: ['Selesai', 'End'],
  person: ['Petugas', 'Person'],
  addShift: ['Tambah shift', 'Add shift'],
  removeShift: ['Hapus shift', 'Remove shift'],
  swapTitle: ['Tukar piket', 'Duty swap'],
  replaces: ['Menggantikan', 'Takes over from'],
  added: ['(tambahan)', '(added)'],
  recordSwap: ['Catat tukar piket', 'Record swap'],
  note: ['Catatan', 'Note'],
  from: ['Dari', 'From'],
  to: ['Sampai', 'To'],
  prevWeek: ['← Minggu lalu', '← Previous week'],
  nextWeek: ['Minggu depan →', 'Next week →'],
  thisWeek: ['Minggu ini', 'This week'],
  swaps: ['Tukar piket tercatat', 'Recorded swaps'],
  noSwaps: ['Belum ada tukar piket.', 'No swaps recorded.'],
  readOnly: ['Anda dapat melihat jadwal ini; mengubahnya hanya admin atau operator OPD ini.', 'You can read this roster; only admins or operators of this OPD change it.'],
  forSwap: ['menggantikan', 'covering for'],
  severity: ['Tingkat alarm', 'Alarm severity'],
  any: ['Semua tingkat (cadangan)', 'Any severity (fallback)'],
  own: ['kebijakan OPD', "the OPD's policy"],
  viaAny: ['mengikuti kebijakan semua tingkat', 'follows the any-severity policy'],
  viaDefault: ['bawaan', 'default'],
  level: ['Tahap', 'Level'],
  afterMinutes: ['Setelah (menit)', 'After (minutes)'],
  targets: ['Dihubungi', 'Contacted'],
  addTarget: ['+ penerima', '+ recipient'],
  addLevel: ['+ tahap', '+ level'],
  edit: ['Ubah', 'Edit'],
  cancel: ['Batal', 'Cancel'],
  reset: ['Kembalikan ke bawaan', 'Back to default'],
  duty: ['Petugas piket (atau operator OPD bila kosong)', 'Duty officer (or the OPD operators when nobody is)'],
  thisOpd: ['OPD ini', 'this OPD'],
  region: ['se-kabupaten', 'region-wide'],
  minutes: ['menit', 'minutes'],
  position: ['Jabatan', 'Position'],
  defaultNote: ['Bawaan: 0 menit petugas piket, 15 menit Kabid, 30 menit Kepala OPD, 45 menit Sekda.', 'Default: duty officer at 0 minutes, the Kabid at 15, the head of the OPD at 30, the Sekda at 45.'],
});

export const WEEKDAYS: [string, string][] = [['Senin', 'Monday'], ['Selasa', 'Tuesday'], ['Rabu', 'Wednesday'], ['Kamis', 'Thursday'], ['Jumat', 'Friday'], ['Sabtu', 'Saturday'], ['Minggu', 'Sunday']];
export const weekdayName = (weekday: number) => WEEKDAYS[weekday - 1]?.[getLang() === 'id' ? 0 : 1] ?? '';

export { POSITIONS } from '../../../src/modules/identity/identity.constants.ts';
/** Any position's name; an unknown one as it is. */
const NAMES: Partial<Record<string, [string, string]>> = POSITION_NAMES;
export const positionName = (p: string | null) => (p ? (NAMES[p]?.[getLang() === 'id' ? 0 : 1] ?? p) : '—');

export interface Me {
  id: string;
  role: string;
  opdId: string | null;
}
export type { Opd };

/** The signed-in user, the OPDs, the chosen OPD, and whether the user may change it. */
export function useOpdChoice() {
  const [me, setMe] = useState<Me | null>(null);
  const [opds, setOpds] = useState<Opd[]>([]);
  const [opdId, setOpdId] = useState('');
  useEffect(() => {
    Promise.all([api<Me>('GET', '/auth/me'), api<Opd[]>('GET', '/opds')]).then(([m, list]) => {
      setMe(m);
      setOpds(list);
      setOpdId((current) => current || (m.opdId && list.some((o) => o.id === m.opdId) ? m.opdId : (list[0]?.id ?? '')));
    }, () => {});
  }, []);
  const canWrite = me !== null && (me.role === 'admin' || (me.role === 'operator' && me.opdId === opdId));
  return { me, opds, opdId, setOpdId, canWrite };
}

/** The active people of an OPD (its operators and admins), for choosing; empty for those who may not list them. */
export function usePeople(opdId: string, enabled: boolean) {
  const [people, setPeople] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (!opdId || !enabled) return setPeople([]);
    api<{ id: string; name: string }[]>('GET', `/opds/${opdId}/people`).then(setPeople, () => setPeople([]));
  }, [opdId, enabled]);
  return people;
}

/** "07.00" in the region's zone. */
export function clockTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/** A date and time in the region's zone. */
export function dateTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/** A datetime-local value ("2026-11-30T10:00") read as wall-clock time in the zone, as ms since epoch. */
export function zonedMs(local: string, zone: string): number {
  const wall = Date.parse(`${local}:00Z`);
  const offset = (at: number) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - Math.floor(at / 60_000) * 60_000;
  };
  return wall - offset(wall - offset(wall));
}

/** YYYY-MM-DD plus days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
