/** Small formatting helpers shared by the books' chapters (numbers the Indonesian way: export.data.ts). */
import { DIMENSIONS, fmtNumber, fmtRupiah } from './export.data.ts';
import { FUNDING_SOURCES } from '../initiatives/initiatives.constants.ts';

export const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '-' : v);
export const score = (v: number | null) => (v === null ? '-' : fmtNumber(Math.round(v * 100) / 100));
export const dimName = (key: string | null) => DIMENSIONS.find((d) => d.key === key)?.name ?? 'Belum dipetakan';
export const elementName = (dim: string | null, el: string | null) => DIMENSIONS.find((d) => d.key === dim)?.elements.find((e) => e.key === el)?.name ?? '';
export const sourceName = (key: string) => FUNDING_SOURCES.find((s) => s.key === key)?.nameId ?? key;
export const count = (n: number) => fmtNumber(n);
export const rp = fmtRupiah;
/** "Rp 1,25 M" for a chart's labels */
export const shortRp = (v: number) => (v >= 1e9 ? `Rp ${fmtNumber(Math.round(v / 1e7) / 100)} M` : fmtRupiah(v));
export const years = (start: number | null, end: number | null) => (start === null && end === null ? '-' : start === end ? String(start) : `${start ?? '…'}–${end ?? '…'}`);
