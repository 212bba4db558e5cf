/** Shared pieces of the master plan screens: texts, the framework, the user, a lazy chart. */
import type { Standing } from '../../../src/modules/masterplan/collaboration/collaboration.contract.js';
import type { Framework } from '../../../src/modules/masterplan/plan/plan.contract.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, session } from '../api.js';
import { html } from '../html.js';
import { inputNumber, parseInputNumber } from '../format.js';
import { getLang, texts } from '../i18n.js';

export const tx = texts({
  masterplan: ['Rencana Induk', 'Master plan'],
  dashboard: ['Dasbor pimpinan', 'Leadership dashboard'],
  readiness: ['Kesiapan', 'Readiness'],
  initiatives: ['Inisiatif', 'Initiatives'],
  records: ['Profil & strategi', 'Profile & strategy'],
  programs: ['Program', 'Programs'],
  kpis: ['Indikator (KPI)', 'Indicators (KPI)'],
  collab: ['Kolaborasi', 'Collaboration'],
  evaluation: ['Evaluasi (monev)', 'Evaluation (monev)'],
  export: ['Ekspor', 'Export'],
  year: ['Tahun', 'Year'],
  dimension: ['Dimensi', 'Dimension'],
  element: ['Elemen', 'Element'],
  budget: ['Pagu anggaran', 'Budget'],
  progress: ['Kemajuan', 'Progress'],
  quickWins: ['Quick win', 'Quick wins'],
  quickWin: ['Quick win', 'Quick win'],
  onTrack: ['Sesuai sasaran', 'On track'],
  atRisk: ['Berisiko', 'At risk'],
  offTrack: ['Meleset', 'Off track'],
  noData: ['Belum ada data', 'No data'],
  evaluationIndex: ['Indeks evaluasi', 'Evaluation index'],
  budgetByDimension: ['Pagu per dimensi', 'Budget per dimension'],
  budgetByOpd: ['Pagu per OPD', 'Budget per OPD'],
  progressByDimension: ['Kemajuan per dimensi', 'Progress per dimension'],
  kpiStatus: ['Status KPI', 'KPI status'],
  programCount: ['Jumlah program', 'Programs'],
  noPrograms: ['Belum ada program. Impor RKPD di tab Program.', 'No programs yet. Import the RKPD under Programs.'],
  saved: ['Tersimpan', 'Saved'],
  save: ['Simpan', 'Save'],
  add: ['Tambah', 'Add'],
  cancel: ['Batal', 'Cancel'],
  remove: ['Hapus', 'Remove'],
  edit: ['Ubah', 'Edit'],
  all: ['Semua', 'All'],
  none: ['—', '—'],
  loading: ['Memuat …', 'Loading …'],
  notReady: ['Layanan ini belum tersedia di server.', 'This service is not available on the server yet.'],
  name: ['Nama', 'Name'],
  code: ['Kode', 'Code'],
  opd: ['OPD', 'OPD'],
  document: ['Dokumen', 'Document'],
  unit: ['Satuan', 'Unit'],
  target: ['Target', 'Target'],
  actual: ['Realisasi', 'Actual'],
  note: ['Catatan', 'Note'],
  score: ['Skor', 'Score'],
  status: ['Status', 'Status'],
  search: ['Cari', 'Search'],
  yes: ['Ya', 'Yes'],
  no: ['Tidak', 'No'],
  date: ['Tanggal', 'Date'],
  reason: ['Alasan', 'Reason'],
  horizon: ['Jangka', 'Horizon'],
  short: ['Pendek (1 tahun)', 'Short (1 year)'],
  medium: ['Menengah (5 tahun)', 'Medium (5 years)'],
  long: ['Panjang (10 tahun)', 'Long (10 years)'],
  draft: ['Draf', 'Draft'],
  submitted: ['Diajukan', 'Submitted'],
  approved: ['Disetujui', 'Approved'],
  returned: ['Dikembalikan', 'Returned'],
  bookOne: ['Buku I Analisis Strategis', 'Book I Strategic Analysis'],
  bookTwo: ['Buku II Rencana Induk', 'Book II Master Plan'],
  bookThree: ['Buku III Ringkasan Eksekutif', 'Book III Executive Summary'],
  bookQuickWin: ['Dokumen Quick Win', 'Quick Win document'],
  download: ['Unduh', 'Download'],
  readOnly: ['Hanya baca: Anda tidak dapat mengubah data ini.', 'Read only: you cannot change this.'],
  notNumber: ['bukan angka', 'is not a number'],
});

export type Lang = 'id' | 'en';
export const L = (idText: string | null | undefined, enText: string | null | undefined): string => (getLang() === 'id' ? idText ?? enText ?? '' : enText ?? idText ?? '');

export interface Element {
  key: string;
  nameId: string;
  nameEn: string;
}
export interface Dimension extends Element {
  elements: Element[];
}
export type { Framework };
export interface Me {
  id: string;
  role: 'admin' | 'operator' | 'viewer';
  opdId: string | null;
  name: string;
  email: string;
}
export interface Opd {
  id: string;
  code: string;
  name: string;
}

const cache = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (!cache.has(key)) {
    const p = load();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key) as Promise<T>;
}
export function resetCache(): void {
  cache.clear();
}

function useLoaded<T>(key: string, load: () => Promise<T>): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    once(key, load)
      .then((v) => live && setValue(v))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [key]);
  return value;
}

export const useFramework = () => useLoaded<Framework>('framework', () => api('GET', '/masterplan/framework'));
export const useMe = () => useLoaded<Me>(`me:${session.token}`, () => api('GET', '/auth/me'));
export const useOpds = () => useLoaded<Opd[]>(`opds:${session.token}`, () => api('GET', '/opds'));
export type { Standing };
/** Where the user stands in the master plan work (reviewer, council or team), as the server says. */
export const useStanding = () => useLoaded<Standing>(`standing:${session.token}`, () => api('GET', '/masterplan/me'));
/** The reviewers: admins, users of BAPPEDA/DISKOMINFO, members of the team (the server decides; this only hides controls). */
export function isReviewer(me: Me | null, opds: Opd[] | null, standing?: Standing | null): boolean {
  if (standing) return standing.reviewer;
  if (!me) return false;
  if (me.role === 'admin') return true;
  const code = opds?.find((o) => o.id === me.opdId)?.code?.toUpperCase();
  return me.role === 'operator' && (code === 'BAPPEDA' || code === 'DISKOMINFO');
}
/** Whether the user may edit a record of this OPD (reviewers everything, operators their own OPD, viewers nothing). */
export function canEdit(me: Me | null, opds: Opd[] | null, opdId: string | null | undefined, standing?: Standing | null): boolean {
  if (!me || me.role === 'viewer') return false;
  if (isReviewer(me, opds, standing)) return true;
  return !!opdId && opdId === me.opdId;
}

export function dimName(fw: Framework | null, key: string | null | undefined): string {
  if (!key) return '—';
  const d = fw?.dimensions.find((x) => x.key === key);
  return d ? L(d.nameId, d.nameEn) : key;
}
export function elementName(fw: Framework | null, dim: string | null | undefined, key: string | null | undefined): string {
  if (!key) return '—';
  const e = fw?.dimensions.find((x) => x.key === dim)?.elements.find((x) => x.key === key) ?? fw?.dimensions.flatMap((d) => d.elements).find((x) => x.key === key);
  return e ? L(e.nameId, e.nameEn) : key;
}

export function rupiah(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(v);
}
/** A large amount in a few characters, e.g. "Rp 20,8 M" (miliar) / "IDR 20.8B". */
export function compactRupiah(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { style: 'currency', currency: 'IDR', notation: 'compact', maximumFractionDigits: 1 }).format(v);
}
export function shortRupiah(v: number): string {
  const id = getLang() === 'id';
  // Indonesian: miliar (M), juta (jt), decimal comma; English: billion (B), million (M).
  const one = (x: number) => x.toLocaleString(id ? 'id-ID' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (Math.abs(v) >= 1e12) return `${one(v / 1e12)} T`;
  if (Math.abs(v) >= 1e9) return `${one(v / 1e9)} ${id ? 'M' : 'B'}`;
  if (Math.abs(v) >= 1e6) return `${one(v / 1e6)} ${id ? 'jt' : 'M'}`;
  return v.toLocaleString(id ? 'id-ID' : 'en-GB');
}
export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return new Intl.NumberFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: digits }).format(v);
}
/** A number shown in a text input in the screen's language (*1,25* / *1.25*); '' for none. */
export const numIn = (v: number | null | undefined): string => inputNumber(v, getLang());
/** A number typed with a comma or a dot: null when empty, NaN when not a number. */
export const parseNum = parseInputNumber;
/** The refusal of a field that is not a number: *Skor: 1x bukan angka*. */
export const notNumberText = (label: string, text: string): string => `${label}: “${text.trim()}” ${tx('notNumber')}`;
export function day(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Intl.DateTimeFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'Asia/Jakarta', dateStyle: 'medium' }).format(new Date(ms));
}
export function when(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Intl.DateTimeFormat(getLang() === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms)) + ' WIB';
}
export const thisYear = () => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Jakarta', year: 'numeric' }).format(new Date()));

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 404 && (err.code === 'ERROR' || err.code === 'ROUTE_NOT_FOUND')) return tx('notReady');
    return err.message;
  }
  return (err as Error)?.message ?? String(err);
}

/** A form's save: PATCH `collection/id` when it changes a record, else POST to `collection`; busy while it runs, a refusal's text in `setError`. */
export async function saveRecord(collection: string, id: string | null, body: unknown, ui: { setBusy(busy: boolean): void; setError(error: string | null): void; onDone(): void }): Promise<void> {
  ui.setBusy(true);
  try {
    if (id) await api('PATCH', `${collection}/${encodeURIComponent(id)}`, body);
    else await api('POST', collection, body);
    ui.onDone();
  } catch (err) {
    ui.setError(errorText(err));
  } finally {
    ui.setBusy(false);
  }
}

export function Message({ error, ok }: { error?: string | null; ok?: string | null }) {
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (ok) return html`<p class="ok" role="status">${ok}</p>`;
  return null;
}

/** A value loaded from the API with a reload function and the error shown in place. */
export function useApi<T>(path: string | null, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => void; loading: boolean } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setLoading(true);
    api<T>('GET', path)
      .then((v) => {
        if (!live) return;
        setData(v);
        setError(null);
      })
      .catch((err) => live && setError(errorText(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, n, ...deps]);
  return { data, error, loading, reload: () => setN((x) => x + 1) };
}

export const PALETTE = ['#0b5cad', '#e07b00', '#1a9641', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#d35400', '#2c3e50', '#f1c40f'];

type ChartModule = typeof import('chart.js/auto');
let chartModule: Promise<ChartModule> | null = null;
/** chart.js is loaded only when a master plan screen draws its first chart. */
function loadChart(): Promise<ChartModule> {
  return (chartModule ??= import('chart.js/auto'));
}

/** A chart.js chart; the config is rebuilt whenever `version` changes. */
export function ChartBox({ config, version, label, height = 280, testid }: { config: () => any; version: string; label: string; height?: number; testid?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<any>(null);
  useEffect(() => {
    let live = true;
    loadChart().then((m) => {
      if (!live || !canvas.current) return;
      chart.current?.destroy();
      const cfg = config();
      // the axes' numbers in the screen's language (0,5 in Indonesian), not the browser's
      cfg.options = { responsive: true, maintainAspectRatio: false, animation: false, locale: getLang() === 'id' ? 'id-ID' : 'en-GB', ...(cfg.options ?? {}) };
      chart.current = new m.default(canvas.current, cfg);
      (globalThis as any).cerdasCharts = ((globalThis as any).cerdasCharts ?? 0) + 1;
    });
    return () => {
      live = false;
    };
  }, [version, getLang()]);
  useEffect(() => () => chart.current?.destroy(), []);
  return html`<div class="mp-chart" style=${`height:${height}px`} data-testid=${testid}><canvas ref=${canvas} role="img" aria-label=${label}></canvas></div>`;
}
