/** Every text the app shows, in Bahasa Indonesia (the default) and English. */
import { SEVERITY_NAMES } from '../../src/modules/alarms/alarms.constants.ts';

export type Lang = 'id' | 'en';

const TEXT = {
  appName: ['Cerdas', 'Cerdas'],
  commandCenter: ['Pusat Komando', 'Command center'],
  admin: ['Pengelolaan', 'Administration'],
  login: ['Masuk', 'Log in'],
  logout: ['Keluar', 'Log out'],
  email: ['Email', 'Email'],
  password: ['Kata sandi', 'Password'],
  loginFailed: ['Email atau kata sandi salah', 'Email or password is wrong'],
  language: ['Bahasa', 'Language'],
  alarms: ['Alarm', 'Alarms'],
  activeAlarms: ['Alarm aktif', 'Active alarms'],
  noAlarms: ['Tidak ada alarm aktif', 'No active alarms'],
  acknowledge: ['Tangani', 'Acknowledge'],
  acknowledged: ['Ditangani', 'Acknowledged'],
  alarmPage: ['Rincian dan pesan terkirim', 'Details and messages sent'],
  clear: ['Selesaikan', 'Clear'],
  devices: ['Perangkat', 'Devices'],
  devicesOnline: ['Perangkat daring', 'Devices online'],
  assets: ['Aset', 'Assets'],
  opds: ['OPD', 'Agencies (OPD)'],
  users: ['Pengguna', 'Users'],
  rules: ['Aturan', 'Rules'],
  layers: ['Lapisan peta', 'Map layers'],
  approximate: ['Lokasi dan batas bersifat perkiraan', 'Locations and boundaries are approximate'],
  lastHour: ['1 jam', '1 hour'],
  lastDay: ['1 hari', '1 day'],
  lastWeek: ['1 minggu', '1 week'],
  lastMonth: ['1 bulan', '1 month'],
  latest: ['Nilai terakhir', 'Latest values'],
  openAlarms: ['Alarm terbuka', 'Open alarms'],
  incidents: ['Kejadian', 'Incidents'],
  noIncidents: ['Belum ada kejadian', 'No incidents yet'],
  close: ['Tutup', 'Close'],
  online: ['Daring', 'Online'],
  offline: ['Luring', 'Offline'],
  never: ['Belum pernah', 'Never'],
  name: ['Nama', 'Name'],
  code: ['Kode', 'Code'],
  type: ['Jenis', 'Type'],
  role: ['Peran', 'Role'],
  opd: ['OPD', 'OPD'],
  asset: ['Aset', 'Asset'],
  none: ['—', '—'],
  create: ['Tambah', 'Add'],
  save: ['Simpan', 'Save'],
  delete: ['Hapus', 'Delete'],
  regenerate: ['Buat token baru', 'New token'],
  revoke: ['Cabut token', 'Revoke token'],
  tokenOnce: ['Token akses — hanya ditampilkan sekali. Salin ke firmware perangkat.', 'Access token — shown only once. Copy it into the device firmware.'],
  importCsv: ['Impor CSV', 'Import CSV'],
  importDone: ['aset diimpor', 'assets imported'],
  importFailed: ['Impor dibatalkan; tidak ada yang disimpan. Baris bermasalah:', 'Import cancelled; nothing was saved. Rows with problems:'],
  key: ['Kunci data', 'Data key'],
  condition: ['Kondisi', 'Condition'],
  threshold: ['Ambang', 'Threshold'],
  durationMin: ['Durasi (menit)', 'Duration (minutes)'],
  severity: ['Tingkat', 'Severity'],
  target: ['Sasaran', 'Target'],
  lastActivity: ['Aktivitas terakhir', 'Last activity'],
  status: ['Status', 'Status'],
  guideTitle: ['Selamat datang di Cerdas', 'Welcome to Cerdas'],
  guideIntro: ['Wilayah ini masih kosong. Lima langkah untuk memulai:', 'This region is still empty. Five steps to begin:'],
  guide1: ['Tambahkan OPD (BPBD, Dinas PUPR, Dinkes …) di Pengelolaan → OPD.', 'Add the OPDs (BPBD, Dinas PUPR, Dinkes …) under Administration → OPD.'],
  guide2: ['Tambahkan aset: pos duga air, PJU, puskesmas — satu per satu atau impor CSV.', 'Add assets: river gauges, street lights, puskesmas — one by one or by CSV import.'],
  guide3: ['Daftarkan perangkat dan salin token aksesnya ke firmware.', 'Register a device and copy its access token into the firmware.'],
  guide4: ['Perangkat mengirim data lewat MQTT (v1/devices/me/telemetry) atau HTTP.', 'Devices send data over MQTT (v1/devices/me/telemetry) or HTTP.'],
  guide5: ['Buat aturan: misalnya tinggi muka air > 3,5 m selama 10 menit → Siaga.', 'Create rules: e.g. water level > 3.5 m for 10 minutes → Siaga.'],
  loading: ['Memuat …', 'Loading …'],
  error: ['Terjadi kesalahan', 'Something went wrong'],
  live: ['Langsung', 'Live'],
  reconnecting: ['Menyambung ulang …', 'Reconnecting …'],
  vehicles: ['Kendaraan', 'Vehicles'],
  hotspots: ['Titik panas', 'Hotspots'],
  admins: ['Admin', 'Admin'],
  operator: ['Operator', 'Operator'],
  viewer: ['Pembaca', 'Viewer'],
  confirmDelete: ['Hapus? Tindakan ini tidak dapat dibatalkan.', 'Delete? This cannot be undone.'],
  saved: ['Tersimpan', 'Saved'],
  deviceName: ['Nama perangkat', 'Device name'],
  tokenHint: ['Token (4 terakhir)', 'Token (last 4)'],
  isGateway: ['Gateway (perangkat di baliknya terdaftar sendiri)', 'Gateway (the devices behind it are created on their own)'],
  gatewayBadge: ['gateway', 'gateway'],
  behindGateway: ['di balik gateway', 'behind gateway'],
  from: ['dari', 'from'],
  searchAsset: ['Cari aset', 'Find an asset'],
  highestWater: ['Tinggi muka air tertinggi', 'Highest water level'],
  highestPm25: ['PM2.5 tertinggi', 'Highest PM2.5'],
} satisfies Record<string, [string, string]>;

export type TextKey = keyof typeof TEXT;

let lang: Lang = (localStorage.getItem('cerdas.lang') as Lang | null) ?? 'id';
const listeners = new Set<() => void>();

export function t(key: TextKey): string {
  return TEXT[key][lang === 'id' ? 0 : 1];
}
/**
 * A screen keeps its own texts next to it: `const tx = texts({ key: ['…', '…'] })`
 * gives a `tx(key)` that follows the chosen language like `t`.
 */
export function texts<K extends string>(dictionary: Record<K, [string, string]>): (key: K) => string {
  return (key) => dictionary[key][lang === 'id' ? 0 : 1];
}
export function getLang(): Lang {
  return lang;
}
export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem('cerdas.lang', next);
  document.documentElement.lang = next;
  for (const l of listeners) l();
}
export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function severityName(s: string): string {
  return (SEVERITY_NAMES as Record<string, [string, string]>)[s]?.[lang === 'id' ? 0 : 1] ?? s;
}

/** Dates in the region's zone (WIB by default), in the chosen language. */
export function formatTime(ms: number | null, zone = 'Asia/Jakarta'): string {
  if (ms === null) return t('never');
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms)) + (zone === 'Asia/Jakarta' ? ' WIB' : '');
}
const numberFormats = new Map<Lang, Intl.NumberFormat>();
export function formatNumber(v: unknown): string {
  if (typeof v === 'number') {
    let format = numberFormats.get(lang);
    if (!format) numberFormats.set(lang, (format = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 2 })));
    return format.format(v);
  }
  if (typeof v === 'boolean') return v ? (lang === 'id' ? 'ya' : 'yes') : lang === 'id' ? 'tidak' : 'no';
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
