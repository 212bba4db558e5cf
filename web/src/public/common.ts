/** What the public pages share: the region's config, the categories, status names, errors in both languages. */
import { getLang, texts } from '../i18n.js';

export interface PublicConfig {
  regionName: string;
  regionCode: string;
  publicApiKey: string;
  tileUrl: string | null;
  center: [number, number];
  bounds: [[number, number], [number, number]] | null;
}
export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  group: string;
  keywords: string;
}
export interface Attribute {
  code: string;
  datatype: string;
  required: boolean;
  description: string;
  values?: { key: string; name: string }[];
}
export interface PublicIncident {
  ticket: string;
  categoryCode: string;
  categoryNameId: string;
  categoryNameEn: string;
  status: string;
  publicStatus: 'open' | 'closed';
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  agency: string | null;
  requestedAt: number;
  updatedAt: number;
  expectedAt: number | null;
  mediaUrl: string | null;
  updates: { at: number; text: string | null; status: string | null }[];
}

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

const ICONS: Record<string, string> = {
  roads: '🛣️',
  flooding: '🌊',
  street_lights: '💡',
  waste: '🗑️',
  fallen_trees: '🌳',
  forest_fires: '🔥',
  clean_water: '🚰',
  public_facilities: '🏛️',
  health_services: '🏥',
};
export const iconOf = (code: string) => ICONS[code] ?? '📌';

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
