/** What the public pages share: the region's config, the categories, status names, errors in both languages. */
import { getLang, texts } from '../i18n.js';

/** The ticket page's answer, GET /api/v1/public/tickets/{ticket}: the server's own type (type only; nothing of the server is bundled). */
export type { PublicIncident } from '../../../src/modules/incidents/incidents.contract.ts';

/** The public page's config, GET /api/v1/public/config. */
import type { PublicConfig } from '../../../src/modules/reports/reports.contract.ts';
export type { PublicConfig };
/** Open311's answers (GET services.json, services/{code}.json, requests.json, POST requests.json): the server's own types. */
export type {
  Open311Attribute as Attribute,
  Open311Created,
  Open311Request,
  Open311Service as Service,
  Open311ServiceDefinition as ServiceDefinition,
  Photo,
} from '../../../src/modules/reports/reports.contract.ts';
export const px = texts({
  title: ['Lapor', 'Report'],
  newReport: ['Buat laporan', 'New report'],
  follow: ['Pantau tiket', 'Follow a ticket'],
  map: ['Peta laporan', 'Map of reports'],
  network: ['Tidak tersambung ke server. Periksa koneksi Anda lalu coba lagi — isian Anda tetap tersimpan di sini.', 'Cannot reach the server. Check your connection and try again — what you entered is kept here.'],
  tooMany: ['Terlalu banyak permintaan dari jaringan Anda. Tunggu sebentar lalu coba lagi.', 'Too many requests from your network. Wait a moment and try again.'],
  tooLarge: ['Foto terlalu besar. Pilih foto lain atau foto ulang.', 'The photo is too large. Choose another photo or take it again.'],
  notFound: ['Nomor tiket tidak ditemukan. Periksa penulisannya, mis. MR-000123.', 'No such ticket number. Check how it is written, e.g. MR-000123.'],
  serverSaid: ['Server menjawab', 'The server said'],
  failed: ['Gagal', 'Failed'],
  loading: ['Memuat …', 'Loading …'],
  retry: ['Coba lagi', 'Try again'],
});

const STATUS: Record<string, [string, string]> = {
  new: ['Baru diterima', 'Received'],
  assigned: ['Diteruskan ke OPD', 'Sent to the agency'],
  in_progress: ['Sedang ditangani', 'Being handled'],
  resolved: ['Selesai ditangani', 'Resolved'],
  closed: ['Ditutup', 'Closed'],
  rejected: ['Ditolak', 'Rejected'],
  open: ['Terbuka', 'Open'],
};
export function statusName(s: string | null): string {
  if (s === null) return '';
  return STATUS[s]?.[getLang() === 'id' ? 0 : 1] ?? s;
}

/** Line icons (24×24 SVG paths) for the categories: no emoji font or icon font needed on the phone. */
const ICONS: Record<string, string> = {
  roads: 'M4 21 9 3M20 21 15 3M12 5v3M12 11v3M12 17v3',
  flooding: 'M2 17c2 0 2-1.5 4-1.5S8 17 10 17s2-1.5 4-1.5 2 1.5 4 1.5 2-1.5 4-1.5M2 21c2 0 2-1.5 4-1.5S8 21 10 21s2-1.5 4-1.5 2 1.5 4 1.5 2-1.5 4-1.5M12 3l-4 6h8z',
  street_lights: 'M9 18h6M10 21h4M12 3a6 6 0 0 0-3.5 10.9V16h7v-2.1A6 6 0 0 0 12 3z',
  waste: 'M4 6h16M9 6V3h6v3M6 6l1 15h10l1-15M10 10v7M14 10v7',
  fallen_trees: 'M12 2 5 12h4l-3 5h12l-3-5h4zM12 17v5',
  forest_fires: 'M12 22c4 0 7-3 7-7 0-5-5-7-5-12-3 2-4 5-3 8-2-1-3-3-3-3s-3 3-3 7c0 4 3 7 7 7z',
  clean_water: 'M12 3s6 7 6 11a6 6 0 0 1-12 0c0-4 6-11 6-11z',
  public_facilities: 'M3 21h18M4 10h16M12 3 3 8h18zM6 10v8M10 10v8M14 10v8M18 10v8',
  health_services: 'M10 3h4v7h7v4h-7v7h-4v-7H3v-4h7z',
};
const OTHER = 'M12 22s7-6.5 7-12a7 7 0 0 0-14 0c0 5.5 7 12 7 12zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z';
/** The SVG path of a category's icon. */
export const iconOf = (code: string) => ICONS[code] ?? OTHER;

/** A message shown on the page: computed when drawn, so it follows a change of language. */
export type Msg = () => string;

/** A failed request; `text` gives its message in the chosen language. */
export class PublicError extends Error {
  constructor(
    readonly status: number,
    readonly text: Msg,
    readonly detail: string | null = null,
  ) {
    super(text());
  }
}
export const textOf = (e: unknown): Msg => (e instanceof PublicError ? e.text : () => String((e as Error)?.message ?? e));

/** fetch that turns every failure into a PublicError the page can show as it is. */
export async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new PublicError(0, () => px('network'));
  }
  const text = await res.text().catch(() => '');
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    // Open311 errors are [{code, description}]; the platform's {error: {code, message}}.
    const detail: string | null = Array.isArray(data) ? (data[0]?.description ?? null) : (data?.error?.message ?? null);
    const code: string | null = Array.isArray(data) ? null : (data?.error?.code ?? null);
    if (res.status === 429) throw new PublicError(429, () => px('tooMany'), detail);
    if (res.status === 413 || code === 'PHOTO_TOO_LARGE') throw new PublicError(413, () => px('tooLarge'), detail);
    if (res.status === 404) throw new PublicError(404, () => px('notFound'), detail);
    throw new PublicError(res.status, () => `${px('failed')} (${res.status})`, detail);
  }
  return data as T;
}

let config: Promise<PublicConfig> | null = null;
export function publicConfig(): Promise<PublicConfig> {
  config ??= request<PublicConfig>('/api/v1/public/config').catch((e) => {
    config = null;
    throw e;
  });
  return config;
}

export function inRegion(c: PublicConfig, lat: number, lon: number): boolean {
  if (!c.bounds) return true;
  const [[s, w], [n, e]] = c.bounds;
  return lat >= s && lat <= n && lon >= w && lon <= e;
}

export function formatDate(ms: number | null): string {
  if (ms === null) return '—';
  return new Intl.DateTimeFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms)) + ' WIB';
}
