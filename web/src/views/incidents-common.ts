/** What the incident screens share: types, texts, names of statuses and SLA states, cached look-ups. */
import { useEffect, useState } from 'preact/hooks';
import { api, session } from '../api.js';
import { html } from '../html.js';
import { formatTime, getLang, texts } from '../i18n.js';
import { RESOLVE_WITHIN } from '../../../src/modules/incidents/incidents.constants.ts';
import type { Category, Incident, Sla } from '../../../src/modules/incidents/incidents.contract.ts';
import type { District, Opd, PublicUser } from '../../../src/modules/identity/identity.contract.ts';
import { attributeValueName } from '../../../src/modules/incidents/incidents.constants.ts';

/** The API's wire types and constants, from the server's contracts: types only from *.contract.ts, values from *.constants.ts (no schema is bundled). */
export type { Category, Incident, IncidentDetail, Sla, SlaSummary, SummaryRow, TimelineEntry } from '../../../src/modules/incidents/incidents.contract.ts';
export type { District, Opd } from '../../../src/modules/identity/identity.contract.ts';
export {
  INCIDENT_SEVERITIES as SEVERITIES,
  INCIDENT_SOURCES as SOURCES,
  INCIDENT_STATUSES as STATUSES,
  OPEN_STATUSES,
  /** The status machine of the API. */
  TRANSITIONS as NEXT,
} from '../../../src/modules/incidents/incidents.constants.ts';
/** The SLA legend with the resolve days of each severity (incidents.constants.ts RESOLVE_WITHIN). */
export const slaLegend = (): string => ix('slaLegend').replace(/\{(critical|high|medium|low)\}/g, (_, s: keyof typeof RESOLVE_WITHIN) => String(RESOLVE_WITHIN[s]));
/** The signed-in user (GET /auth/me). */
export type Me = PublicUser;

export const ix = texts({
  inbox: ['Kotak masuk kejadian', 'Incident inbox'],
  incidentsNav: ['Kejadian', 'Incidents'],
  slaNav: ['SLA', 'SLA'],
  slaTitle: ['Ringkasan SLA', 'SLA overview'],
  ticket: ['Tiket', 'Ticket'],
  titleCol: ['Judul', 'Title'],
  category: ['Kategori', 'Category'],
  severity: ['Tingkat', 'Severity'],
  status: ['Status', 'Status'],
  opd: ['OPD', 'OPD'],
  assignee: ['Petugas', 'Assignee'],
  source: ['Sumber', 'Source'],
  created: ['Masuk', 'Filed'],
  sla: ['SLA', 'SLA'],
  due: ['tenggat', 'due'],
  overdue: ['Lewat tenggat', 'Overdue'],
  onlyOverdue: ['Hanya yang lewat tenggat', 'Only overdue'],
  all: ['Semua', 'All'],
  openOnes: ['Terbuka (baru, ditugaskan, dikerjakan)', 'Open (new, assigned, in progress)'],
  allOpd: ['Semua OPD', 'All OPDs'],
  myOpd: ['OPD saya', 'My OPD'],
  search: ['Cari (tiket, judul, keterangan, alamat)', 'Search (ticket, title, description, address)'],
  more: ['Muat lebih banyak', 'Load more'],
  none: ['Tidak ada kejadian yang cocok.', 'No matching incidents.'],
  live: ['Langsung', 'Live'],
  reconnecting: ['Menyambung ulang …', 'Reconnecting …'],
  back: ['← Kotak masuk', '← Inbox'],
  details: ['Rincian', 'Details'],
  description: ['Keterangan', 'Description'],
  address: ['Alamat', 'Address'],
  location: ['Lokasi', 'Location'],
  noLocation: ['Tanpa lokasi', 'No location'],
  photos: ['Foto', 'Photos'],
  reporter: ['Pelapor', 'Reporter'],
  reporterNote: ['Data pribadi: hanya untuk OPD yang ditugaskan dan admin. Jangan dibagikan.', 'Personal data: only for the assigned OPD and admins. Do not share.'],
  erase: ['Hapus data pelapor', "Erase the reporter's data"],
  eraseConfirm: ['Hapus nama, HP dan email pelapor? Tidak dapat dibatalkan.', "Erase the reporter's name, phone and email? This cannot be undone."],
  noReporter: ['Tidak ada data pelapor (anonim atau sudah dihapus).', 'No reporter data (anonymous or erased).'],
  assign: ['Tugaskan', 'Assign'],
  person: ['Petugas', 'Person'],
  nobody: ['— belum ada —', '— nobody —'],
  me: ['Saya', 'Me'],
  changeStatus: ['Ubah status', 'Change status'],
  reason: ['Alasan penolakan', 'Reason for rejecting'],
  needReason: ['Penolakan membutuhkan alasan.', 'A rejection needs a reason.'],
  update: ['Tanggapan', 'Update'],
  publicUpdate: ['Tanggapan publik (dibaca pelapor)', 'Public update (the reporter reads it)'],
  internalNote: ['Catatan internal', 'Internal note'],
  send: ['Kirim', 'Send'],
  timeline: ['Riwayat', 'Timeline'],
  duplicates: ['Kemungkinan duplikat', 'Possible duplicates'],
  noDuplicates: ['Tidak ada kejadian serupa di dekatnya.', 'No similar incidents nearby.'],
  mergeInto: ['Gabungkan kejadian ini ke', 'Merge this incident into'],
  mergeConfirm: ['Gabungkan kejadian ini ke yang lain? Kejadian ini akan ditutup.', 'Merge this incident into the other? This one will be closed.'],
  mergedInto: ['Digabung ke', 'Merged into'],
  meters: ['m', 'm'],
  public: ['publik', 'public'],
  internal: ['internal', 'internal'],
  system: ['Sistem', 'System'],
  byReporter: ['Pelapor (halaman tiket)', 'Reporter (ticket page)'],
  reporterAnswered: ['Pelapor menanggapi', 'Reporter answered'],
  reporterAnsweredHint: ['Tanggapan pelapor belum ditindaklanjuti', "The reporter's answer is not acted on yet"],
  saved: ['Tersimpan', 'Saved'],
  rejectReason: ['Alasan ditolak', 'Rejected because'],
  period: ['Periode', 'Period'],
  days7: ['7 hari', '7 days'],
  days30: ['30 hari', '30 days'],
  days90: ['90 hari', '90 days'],
  days365: ['1 tahun', '1 year'],
  open: ['Terbuka', 'Open'],
  green: ['Hijau', 'Green'],
  yellow: ['Kuning', 'Yellow'],
  red: ['Merah', 'Red'],
  resolved: ['Selesai', 'Resolved'],
  withinSla: ['Tepat waktu', 'Within SLA'],
  medianResolve: ['Median penyelesaian', 'Median time to resolve'],
  hours: ['jam', 'h'],
  byOpd: ['Per OPD', 'By OPD'],
  byCategory: ['Per kategori', 'By category'],
  byDistrict: ['Per kecamatan', 'By kecamatan'],
  byDistrictHint: ['Yang paling lama menunggu di atas: terbanyak lewat tenggat, lalu mendekati tenggat, lalu terbanyak terbuka, lalu median penyelesaian terlama.', 'Longest waits first: most past due, then due soon, then most open, then the longest median time to resolve.'],
  district: ['Kecamatan', 'Kecamatan'],
  allDistricts: ['Semua kecamatan', 'All kecamatan'],
  noDistrict: ['Tanpa kecamatan', 'No kecamatan'],
  total: ['Total', 'Total'],
  unrouted: ['Belum diteruskan', 'Not routed'],
  slaLegend: ['Hijau: dalam tenggat · Kuning: mendekati tenggat · Merah: lewat tenggat (bawaan ritme SP4N-LAPOR!: diteruskan 3, ditindaklanjuti 5 hari kerja; kategori darurat lebih cepat; saat dikerjakan: target selesai {critical} hari kerja untuk kritis, {high} tinggi, {medium} sedang, {low} rendah)', 'Green: within time · Yellow: due soon · Red: past due (by default the SP4N-LAPOR! rhythm: routed within 3, followed up within 5 working days; emergency categories faster; in progress: finished within {critical} working day(s) for critical, {high} high, {medium} medium, {low} low)'],
  stage_route: ['diteruskan', 'routing'],
  stage_follow_up: ['tindak lanjut', 'follow-up'],
  stage_resolve: ['target selesai', 'target to finish'],
  stage_close: ['penutupan', 'closing'],
  k_created: ['dibuat', 'created'],
  k_assigned: ['ditugaskan', 'assigned'],
  k_status: ['status', 'status'],
  k_public_update: ['tanggapan publik', 'public update'],
  k_note: ['catatan internal', 'internal note'],
  k_merged: ['digabung', 'merged'],
  k_duplicate_of: ['duplikat dari', 'duplicate of'],
  mergedHere: ['{t} digabung ke kejadian ini', '{t} was merged into this incident'],
  duplicateOf: ['Kejadian ini duplikat dari {t} dan ditangani di tiket itu', 'This incident is a duplicate of {t} and is handled on that ticket'],
  k_reporter_reply: ['tanggapan pelapor', "reporter's answer"],
  k_auto_closed: ['ditutup otomatis (pelapor tidak menanggapi dalam batas waktu)', 'closed automatically (no answer from the reporter in the time allowed)'],
  k_reporter_erased: ['data pelapor dihapus', 'reporter data erased'],
  k_reporter_code_spent: ['kode pelapor dinonaktifkan oleh pelapor (tanpa data pribadi)', 'reporter code withdrawn by the reporter (no personal data)'],
  k_severity: ['tingkat', 'severity'],
  k_title: ['judul diubah', 'title changed'],
  k_published: ['dipublikasikan', 'published'],
  k_withheld: ['tidak dipublikasikan', 'kept off the public pages'],
  links: ['Terkait', 'Related'],
  alarmLink: ['Alarm pemicu', 'The alarm that opened it'],
  assetLink: ['Aset', 'Asset'],
  chartLink: ['Grafik perangkat', "The device's chart"],
  editTitle: ['Ubah judul', 'Change the title'],
  publication: ['Tampil untuk publik', 'Public visibility'],
  pub_pending: ['Menunggu moderasi', 'Awaiting moderation'],
  pub_published: ['Dipublikasikan', 'Published'],
  pub_private: ['Tidak publik', 'Not public'],
  pubHint: ['Laporan warga tampil di peta publik dan umpan Open311 setelah teks dan fotonya disetujui. Data pribadi atau kata kasar dapat dihapus dari teks publik.', "A resident's report appears on the public map and Open311 feed once its text and photo are approved. Personal data or insults can be taken out of the public text."],
  pubAlarmHint: ['Kejadian dari alarm hanya dipublikasikan dengan teks yang ditulis untuk warga.', "An alarm's incident is published only with a text written for residents."],
  publicTitle: ['Judul publik', 'Public title'],
  publicText: ['Teks publik', 'Public text'],
  publicPhoto: ['Tampilkan foto', 'Show the photo'],
  approve: ['Setujui dan publikasikan', 'Approve and publish'],
  withhold: ['Jangan publikasikan', 'Do not publish'],
  moderation: ['Menunggu moderasi', 'Awaiting moderation'],
  openIncidents: ['Kejadian terbuka', 'Open incidents'],
});

const STATUS_NAMES: Record<string, [string, string]> = {
  new: ['Baru', 'New'],
  assigned: ['Ditugaskan', 'Assigned'],
  in_progress: ['Dikerjakan', 'In progress'],
  resolved: ['Selesai', 'Resolved'],
  closed: ['Ditutup', 'Closed'],
  rejected: ['Ditolak', 'Rejected'],
};
const SEVERITY_NAMES: Record<string, [string, string]> = { low: ['Rendah', 'Low'], medium: ['Sedang', 'Medium'], high: ['Tinggi', 'High'], critical: ['Kritis', 'Critical'] };
const SOURCE_NAMES: Record<string, [string, string]> = { report: ['Laporan warga', 'Resident report'], alarm: ['Alarm', 'Alarm'], operator: ['Operator', 'Operator'], lapor: ['SP4N-LAPOR!', 'SP4N-LAPOR!'] };
const pick = (names: Record<string, [string, string]>, key: string | null) => (key === null ? '—' : (names[key]?.[getLang() === 'id' ? 0 : 1] ?? key));
export const statusLabel = (s: string | null) => pick(STATUS_NAMES, s);
export const severityLabel = (s: string) => pick(SEVERITY_NAMES, s);
export const sourceLabel = (s: string) => pick(SOURCE_NAMES, s);
/** An attribute's question and answer in words, from the category's definition. */
export function attributeText(cats: Map<string, Category>, categoryCode: string, code: string, value: string | string[]): [string, string] {
  const a = cats.get(categoryCode)?.attributes?.find((x) => x.code === code);
  const name = (v: string) => {
    const found = a?.values?.find((x) => x.key === v);
    return found ? attributeValueName(found, getLang()) : v;
  };
  return [a ? (getLang() === 'id' ? a.descriptionId : a.descriptionEn) || code : code, (Array.isArray(value) ? value : [value]).map(name).join(', ')];
}
export const categoryName = (cats: Map<string, Category>, code: string) => {
  const c = cats.get(code);
  return c ? (getLang() === 'id' ? c.nameId : c.nameEn) : code;
};

/** An incident's title; one that is only its category's name (the title a report without one gets) follows the language like the category, and one the platform worded in both languages (an alarm's) shows the screen's. */
export const incidentTitle = (cats: Map<string, Category>, i: Pick<Incident, 'title' | 'titleEn' | 'categoryCode'>) => {
  if (i.titleEn !== null && getLang() === 'en') return i.titleEn;
  const c = cats.get(i.categoryCode);
  return c && (i.title === c.nameId || i.title === c.nameEn) ? categoryName(cats, i.categoryCode) : i.title;
};

/**
 * An incident's title as shown, marked with its language: a category's name or
 * a title the platform worded in both languages in the screen's; a title as
 * written (by a resident or an operator) in Bahasa Indonesia, so that screen
 * readers say it right on an English screen too.
 */
export function IncidentTitle({ inc, cats }: { inc: Pick<Incident, 'title' | 'titleEn' | 'categoryCode'>; cats?: Map<string, Category> }) {
  const own = useCategories();
  const known = cats ?? own;
  const shown = incidentTitle(known, inc);
  // Marked only where it differs from the screen's language: an Indonesian screen reads plain text.
  return shown === inc.title && getLang() !== 'id' ? html`<span lang="id">${shown}</span>` : shown;
}

/** The categories by code, once read (for screens that show incidents without the inbox's look-ups). */
export function useCategories(): Map<string, Category> {
  const [cats, setCats] = useState<Map<string, Category>>(new Map());
  useEffect(() => {
    let live = true;
    useLookups().then((l) => live && setCats(new Map(l.categories.map((c) => [c.code, c]))), () => {});
    return () => void (live = false);
  }, []);
  return cats;
}

/** The reporter answered on the ticket page and nothing happened since (any change moves updatedAt past it). */
export const awaitsUs = (i: Incident) => i.reporterRepliedAt !== null && i.reporterRepliedAt >= i.updatedAt;

/** The SLA chip: green / yellow / red as Jakarta's CROP shows them, with the due time. */
export function SlaChip({ sla }: { sla: Sla }) {
  if (!sla.state) return html`<span class="sla-chip none">—</span>`;
  const state = sla.overdue ? 'red' : sla.state;
  const title = sla.dueAt ? `${sla.stage ? ix(`stage_${sla.stage}` as 'stage_route') + ' · ' : ''}${ix('due')} ${formatTime(sla.dueAt)}` : '';
  return html`<span class=${`sla-chip ${state}`} title=${title} data-sla=${state}>${ix(state)}${sla.overdue ? ` · ${ix('overdue')}` : ''}</span>`;
}

let lookups: Promise<{ me: Me; opds: Opd[]; categories: Category[]; districts: District[] }> | null = null;
let lookupsFor: string | null = null;
/** Who is signed in, the region's OPDs, categories and kecamatan: fetched once per session. */
export function useLookups() {
  if (lookupsFor !== session.token) lookups = null;
  lookupsFor = session.token;
  lookups ??= Promise.all([api<Me>('GET', '/auth/me'), api<Opd[]>('GET', '/opds'), api<Category[]>('GET', '/incident-categories'), api<District[]>('GET', '/region/districts')]).then(
    ([me, opds, categories, districts]) => ({ me, opds, categories, districts }),
    (e) => {
      lookups = null;
      throw e;
    },
  );
  return lookups;
}
export function forgetLookups(): void {
  lookups = null;
}
