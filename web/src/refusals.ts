/**
 * What a refused or failed request says on screen. The server answers in
 * English ({error:{code,message}}), in both languages where a person must
 * act on the reason (details.reason): an English screen shows its words, an
 * Indonesian one the reason or a text by the code, else by the HTTP status,
 * never the server's English.
 */
import { getLang } from './i18n.js';

type Pair = [string, string];

const BY_CODE: Record<string, Pair> = {
  FORBIDDEN: ['Anda tidak berhak melakukan tindakan ini. Hubungi admin bila perlu.', 'You are not allowed to do this.'],
  UNAUTHENTICATED: ['Sesi Anda berakhir; silakan masuk lagi.', 'Your session has ended; log in again.'],
  LAST_ADMIN: ['Tidak bisa: harus tetap ada satu admin aktif.', 'Not possible: one active admin must remain.'],
  CONFLICT: ['Tidak bisa disimpan: bentrok dengan data yang sudah ada (mis. nama atau kode sudah dipakai).', 'Cannot be saved: it conflicts with existing data.'],
  VALIDATION_FAILED: ['Isian belum benar; periksa kembali kolom yang diisi.', 'The input is not valid.'],
  RATE_LIMITED: ['Terlalu banyak permintaan; coba lagi sebentar lagi.', 'Too many requests; try again shortly.'],
  IMPORT_FILE_INVALID: ['Berkas tidak dapat dibaca: kirim lembar kerja CSV atau XLSX (bukan .xls lama).', 'The file cannot be read: send a CSV or XLSX spreadsheet (not an old .xls).'],
};

const BY_STATUS: Record<number, Pair> = {
  400: BY_CODE.VALIDATION_FAILED!,
  401: BY_CODE.UNAUTHENTICATED!,
  403: BY_CODE.FORBIDDEN!,
  404: ['Data tidak ditemukan; mungkin sudah dihapus.', 'Not found; it may have been deleted.'],
  409: BY_CODE.CONFLICT!,
  413: ['Berkas atau isian terlalu besar.', 'The file or input is too large.'],
  415: ['Jenis berkas tidak didukung.', 'This kind of file is not supported.'],
  422: ['Permintaan ditolak: keadaan data tidak memungkinkan.', 'Refused: the data is not in a state that allows it.'],
  429: BY_CODE.RATE_LIMITED!,
};
const SERVER: Pair = ['Server sedang bermasalah; coba lagi nanti.', 'The server has a problem; try again later.'];
const OTHER: Pair = ['Permintaan ditolak.', 'The request was refused.'];

/**
 * The screen's text of a refusal: the server's reason in the language where it
 * gives one (`details.reason`: {id, en}); else in Bahasa Indonesia the words of
 * its code or status, in English the server's own.
 */
export function refusalText(status: number, code: string, serverMessage: string, body?: unknown): string {
  const reason = (body as { error?: { details?: { reason?: { id?: unknown; en?: unknown } } } } | null | undefined)?.error?.details?.reason?.[getLang()];
  if (typeof reason === 'string' && reason) return reason;
  if (getLang() === 'en' && serverMessage) return serverMessage;
  const pair = BY_CODE[code] ?? (code.endsWith('_NOT_FOUND') ? BY_STATUS[404] : undefined) ?? BY_STATUS[status] ?? (status >= 500 ? SERVER : OTHER);
  return pair[getLang() === 'id' ? 0 : 1];
}
