/** The rules editor's texts, and numbers as people type and read them there (3,5 in Indonesian, 3.5 in English). */
import { ApiError } from '../api.js';
import { getLang, texts } from '../i18n.js';

export const rx = texts({
  title: ['Aturan alarm', 'Alarm rules'],
  newRule: ['Aturan baru', 'New rule'],
  editing: ['Mengubah aturan', 'Editing rule'],
  creating: ['Aturan baru', 'New rule'],
  name: ['Nama bahaya', 'Hazard name'],
  nameHelp: ['Tampil sebagai jenis alarm, mis. “Banjir Sungai Kelingi”.', 'Shown as the alarm type, e.g. “Banjir Sungai Kelingi”.'],
  enabled: ['Aktif', 'Enabled'],
  on: ['Aktif', 'On'],
  off: ['Nonaktif', 'Off'],
  turnOn: ['Aktifkan', 'Turn on'],
  turnOff: ['Nonaktifkan', 'Turn off'],
  appliesTo: ['Berlaku untuk', 'Applies to'],
  allOfType: ['Semua perangkat jenis ini', 'Every device of this type'],
  oneDevice: ['Satu perangkat', 'One device'],
  assetType: ['Semua perangkat pada jenis aset', 'Every device on an asset type'],
  deviceType: ['Jenis perangkat', 'Device type'],
  device: ['Perangkat', 'Device'],
  chooseDevice: ['— pilih perangkat —', '— choose a device —'],
  measure: ['Data yang dipantau', 'Reading watched'],
  anyData: ['Data apa pun', 'Any data'],
  noProfiles: ['Belum ada profil perangkat: buat profil di Pengelolaan → Profil agar data tampil dengan nama dan satuannya.', 'No device profiles yet: make one under Admin → Profiles so that readings show with their names and units.'],
  opd: ['Hanya perangkat OPD', 'Only devices of OPD'],
  anyOpd: ['Semua OPD', 'Every OPD'],
  levels: ['Level', 'Levels'],
  levelsHelp: [
    'Satu alarm per bahaya: levelnya naik dan turun mengikuti data. Susun dari yang terendah (Waspada, Siaga, Awas).',
    'One alarm per hazard: its level rises and falls with the data. List them from the lowest (Waspada, Siaga, Awas).',
  ],
  level: ['Level', 'Level'],
  when: ['Bila', 'When'],
  threshold: ['Ambang', 'Threshold'],
  minutes: ['menit', 'min'],
  perMinute: ['/menit', '/min'],
  clearBelow: ['Turun bila di bawah', 'Falls when below'],
  clearAbove: ['Turun bila di atas', 'Falls when above'],
  clearHelp: ['Histeresis (opsional): level baru turun setelah nilai melewati batas ini, supaya alarm tidak naik-turun di sekitar ambang.', 'Hysteresis (optional): the level falls only once the value passes this, so that the alarm does not flap around the threshold.'],
  addLevel: ['Tambah level', 'Add a level'],
  removeLevel: ['Hapus level', 'Remove level'],
  duration: ['Bertahan selama (menit)', 'Held for (minutes)'],
  heldFor: ['bertahan {n} menit', 'held {n} min'],
  fallsWhen: ['turun bila', 'falls when'],
  durationHelp: ['Alarm dibuka bila syarat bertahan selama ini; 0: langsung.', 'The alarm opens once the condition has held this long; 0: at once.'],
  gt: ['lebih dari', 'above'],
  gte: ['paling sedikit', 'at least'],
  lt: ['kurang dari', 'below'],
  lte: ['paling banyak', 'at most'],
  rate_gt: ['naik lebih cepat dari', 'rising faster than'],
  silence: ['tidak ada data selama', 'no data for'],
  notANumber: ['Tulis angka, mis. 3,5', 'Write a number, e.g. 3.5'],
  save: ['Simpan aturan', 'Save rule'],
  create: ['Buat aturan', 'Create rule'],
  cancel: ['Batal', 'Cancel'],
  saved: ['Aturan tersimpan.', 'Rule saved.'],
  edit: ['Ubah', 'Edit'],
  delete: ['Hapus', 'Delete'],
  confirmDelete: ['Hapus aturan “{name}”? Alarm yang masih terbuka dari aturan ini ditutup.', 'Delete the rule “{name}”? Its open alarms are cleared.'],
  confirmOff: ['Nonaktifkan “{name}”? Alarm yang masih terbuka dari aturan ini ditutup, dan aturan tidak berbunyi sampai diaktifkan lagi.', 'Turn “{name}” off? Its open alarms are cleared and it does not fire until turned on again.'],
  editOpenAlarms: [
    'Mengubah ambang, level, durasi atau tindakan tidak menutup alarm yang sedang terbuka: alarm mengikuti level baru pada data berikutnya. Mengganti perangkat, data atau OPD menutupnya.',
    'Changing thresholds, levels, duration or actions leaves open alarms open: they follow the new levels on the next reading. Changing the device, the reading or the OPD clears them.',
  ],
  noRules: ['Belum ada aturan.', 'No rules yet.'],
  actions: ['Tindakan', 'Actions'],
  viewerNote: ['Anda hanya dapat melihat aturan.', 'You can only view the rules.'],
});

/** A number as typed: `3,5` or `3.5`; with both marks, the last one is the decimal mark (1.234,5 and 1,234.5). NaN when it is not a number. */
export function parseDecimal(text: string): number {
  let t = text.trim().replace(/\s/g, '');
  if (t === '') return Number.NaN;
  const comma = t.lastIndexOf(',');
  const dot = t.lastIndexOf('.');
  if (comma !== -1 && dot !== -1) t = comma > dot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  else t = t.replace(',', '.');
  return /^[-+]?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

const plain = new Map<string, Intl.NumberFormat>();
/** A number for a form field, in the language's marks and without grouping (what parseDecimal reads back): 3,5. */
export function decimalText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const lang = getLang();
  let f = plain.get(lang);
  if (!f) plain.set(lang, (f = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { useGrouping: false, maximumFractionDigits: 6 })));
  return f.format(value);
}

/** A refusal in the user's language: the server's text in both languages when it gives one, and the field it is about. */
export function refusal(error: unknown): { text: string; field: string | null } {
  if (error instanceof ApiError) {
    const details = (error.body as { error?: { details?: { field?: string; text?: { id: string; en: string } } } } | undefined)?.error?.details;
    return { text: details?.text?.[getLang()] ?? error.message, field: details?.field ?? null };
  }
  return { text: (error as Error).message, field: null };
}
