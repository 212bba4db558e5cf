/**
 * The default words of a public warning drafted from an alarm, in Bahasa
 * Indonesia and English: what, where, how high, and what residents should do.
 * A person reads and may change them before anything is sent.
 */
import type { Language, Placeholders } from './templates.ts';

/** Advice by the quantity the alarm is about, [id, en]; others get the general one. */
const ADVICE: Record<string, [string, string]> = {
  waterLevel: [
    'Warga di bantaran sungai diminta waspada dan bersiap mengungsi. Amankan dokumen penting, jauhi aliran sungai, dan ikuti arahan petugas BPBD serta aparat desa/kelurahan.',
    'Residents along the river banks should stay alert and be ready to evacuate. Keep important documents safe, stay away from the river, and follow the instructions of BPBD officers and village officials.',
  ],
  rainfall: [
    'Hujan sangat lebat: warga di daerah rawan banjir dan longsor diminta waspada dan bersiap mengungsi. Ikuti arahan petugas BPBD.',
    'Very heavy rain: residents in areas prone to floods and landslides should stay alert and be ready to evacuate. Follow the instructions of BPBD officers.',
  ],
  pm25: ['Kualitas udara berbahaya: kurangi kegiatan di luar rumah, tutup jendela, dan gunakan masker.', 'The air is hazardous: stay indoors as much as you can, close the windows and wear a mask.'],
  pm10: ['Kualitas udara berbahaya: kurangi kegiatan di luar rumah, tutup jendela, dan gunakan masker.', 'The air is hazardous: stay indoors as much as you can, close the windows and wear a mask.'],
};
const GENERAL: [string, string] = ['Warga diminta waspada dan mengikuti arahan petugas.', 'Residents should stay alert and follow the instructions of the officers.'];

export interface WarningWords {
  title: string;
  text: string;
}

/** The draft's title and text in a language, from the alarm's placeholders (alarm.raised). */
export function draftWords(key: string | null, district: string, values: Placeholders, language: Language): WarningWords {
  const what = values.what ?? '';
  const level = values.level ?? '';
  const advice = (ADVICE[key ?? ''] ?? GENERAL)[language === 'id' ? 0 : 1];
  if (language === 'id') {
    return {
      title: `${what} ${level} di Kec. ${district}`.slice(0, 200),
      text: `${what} di ${values.where ?? `Kec. ${district}`} mencapai ${values.value ?? '–'} (status ${level}) pada ${values.time ?? '–'}. ${advice}`.slice(0, 1000),
    };
  }
  return {
    title: `${what} ${level} in ${district}`.slice(0, 200),
    text: `${what} at ${values.where ?? district} reached ${values.value ?? '–'} (level ${level}) at ${values.time ?? '–'}. ${advice}`.slice(0, 1000),
  };
}
