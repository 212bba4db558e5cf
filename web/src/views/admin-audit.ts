/** Pengelolaan → Log audit (admins): who changed what and when, newest first, filtered, a page at a time. */
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../src/modules/audit/audit.contract.js';
import { api } from '../api.js';
import { DateField } from '../date-field.js';
import { html } from '../html.js';
import { formatTime, getLang, texts } from '../i18n.js';
import { Message, useList } from './admin-common.js';

export const ux = texts({
  tab: ['Log audit', 'Audit log'],
  when: ['Waktu', 'When'],
  who: ['Oleh', 'By'],
  what: ['Objek', 'What'],
  action: ['Tindakan', 'Action'],
  change: ['Perubahan', 'Change'],
  person: ['Pengguna', 'Person'],
  entity: ['Jenis objek', 'Kind'],
  from: ['Dari tanggal', 'From'],
  to: ['Sampai tanggal', 'To'],
  all: ['Semua', 'All'],
  refresh: ['Muat ulang', 'Refresh'],
  more: ['Muat lebih banyak', 'Load more'],
  empty: ['Belum ada perubahan tercatat.', 'No changes recorded yet.'],
  created: ['dibuat', 'created'],
  deleted: ['dihapus', 'deleted'],
  masterplanLink: ['Rincian di log aktivitas masterplan →', 'Details in the master plan activity log →'],
});

/** Entity kinds as people say them. */
const ENTITIES: Record<string, [string, string]> = {
  rule: ['Aturan alarm', 'Alarm rule'],
  incident: ['Kejadian', 'Incident'],
  alarm: ['Alarm', 'Alarm'],
  device: ['Perangkat', 'Device'],
  asset: ['Aset', 'Asset'],
  user: ['Pengguna', 'User'],
  opd: ['OPD', 'Agency (OPD)'],
  region: ['Pengaturan wilayah', 'Region settings'],
  layer: ['Lapisan peta', 'Map layer'],
  category: ['Kategori kejadian', 'Incident category'],
  channel: ['Kanal notifikasi', 'Notification channel'],
  template: ['Templat pesan', 'Message template'],
  warning: ['Peringatan dini', 'Public warning'],
  'duty.shift': ['Jadwal piket', 'Duty shift'],
  'duty.swap': ['Tukar piket', 'Duty swap'],
  'escalation.policy': ['Kebijakan eskalasi', 'Escalation policy'],
};

const ACTIONS: Record<string, [string, string]> = {
  create: ['membuat', 'created'],
  update: ['mengubah', 'changed'],
  put: ['menyimpan', 'saved'],
  delete: ['menghapus', 'deleted'],
  status: ['mengubah status', 'changed the status'],
  assign: ['meneruskan', 'routed'],
  merge: ['menggabungkan', 'merged'],
  severity: ['mengubah tingkat', 'changed the severity'],
  publication: ['memutuskan tampilan publik', 'decided what the public sees'],
  'update.add': ['menambah tanggapan', 'added an update'],
  'erase-reporter': ['menghapus data pelapor', "erased the reporter's data"],
  ack: ['menangani', 'acknowledged'],
  clear: ['menyelesaikan', 'cleared'],
  'token.regenerate': ['membuat token baru', 'issued a new token'],
  'token.revoke': ['mencabut token', 'revoked the token'],
  'attributes.set': ['mengatur atribut', 'set attributes'],
  'attributes.delete': ['menghapus atribut', 'removed attributes'],
  'password.change': ['mengganti kata sandi', 'changed the password'],
  import: ['mengimpor', 'imported'],
  test: ['mengirim pesan uji', 'sent a test message'],
  reset: ['mengembalikan bawaan', 'reset to built-in'],
  discard: ['membatalkan', 'discarded'],
  approve: ['menyetujui', 'approved'],
  submit: ['mengajukan', 'submitted'],
  return: ['mengembalikan', 'returned'],
};

function pick(map: Record<string, [string, string]>, key: string): string {
  const entry = map[key];
  if (!entry) return key;
  return getLang() === 'en' ? entry[1] : entry[0];
}

export const entityName = (kind: string) => (kind.startsWith('masterplan.') ? `Masterplan · ${kind.slice('masterplan.'.length)}` : pick(ENTITIES, kind));
export const actionName = (action: string) => pick(ACTIONS, action);

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  }
  return String(value);
}

/** The changed fields as "field: before → after" lines. */
function Change({ e }: { e: AuditEntry }) {
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
  if (keys.length === 0) return html`<span class="muted">—</span>`;
  if (e.before === null) return html`<span class="muted small">${ux('created')}:</span> ${keys.slice(0, 6).map((k) => html`<div class="small"><b>${k}</b>: ${show(e.after?.[k])}</div>`)}`;
  if (e.after === null) return html`<span class="muted small">${ux('deleted')}</span>`;
  return keys.slice(0, 10).map((k) => html`<div class="small"><b>${k}</b>: ${show(e.before?.[k])} → ${show(e.after?.[k])}</div>`);
}

const PAGE = 50;

export function AuditLog() {
  const [users] = useList<{ id: string; name: string; email: string }>('/users');
  const [filter, setFilter] = useState({ userId: '', entity: '', from: '', to: '' });
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const query = () => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (filter.userId) q.set('userId', filter.userId);
    if (filter.entity) q.set('entity', filter.entity);
    // Dates are the admin's local days: from the start of `from` to the end of `to`.
    if (filter.from) q.set('from', String(new Date(`${filter.from}T00:00:00`).getTime()));
    if (filter.to) q.set('to', String(new Date(`${filter.to}T00:00:00`).getTime() + 86_400_000));
    return q;
  };
  const page = (after: string | null) => {
    const q = query();
    if (after) q.set('cursor', after);
    return api<{ items: AuditEntry[]; nextCursor: string | null }>('GET', `/audit?${q}`).then(
      (p) => {
        setItems((before) => (after ? [...before, ...p.items] : p.items));
        setCursor(p.nextCursor);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  useEffect(() => void page(null), [filter, version]);
  const set = (key: keyof typeof filter) => (e: Event) => setFilter({ ...filter, [key]: (e.target as HTMLInputElement).value });

  return html`
    <section class="card audit-log">
      <div class="row wrap">
        <label>${ux('person')}<select name="userId" value=${filter.userId} onChange=${set('userId')}>
          <option value="">${ux('all')}</option>${(users ?? []).map((u) => html`<option value=${u.id}>${u.name || u.email}</option>`)}
        </select></label>
        <label>${ux('entity')}<select name="entity" value=${filter.entity} onChange=${set('entity')}>
          <option value="">${ux('all')}</option>${Object.keys(ENTITIES).map((k) => html`<option value=${k}>${entityName(k)}</option>`)}
        </select></label>
        <${DateField} label=${ux('from')} name="from" value=${filter.from} onChange=${set('from')} />
        <${DateField} label=${ux('to')} name="to" value=${filter.to} onChange=${set('to')} />
        <button class="ghost" onClick=${() => setVersion((v) => v + 1)}>${ux('refresh')}</button>
      </div>
      <${Message} error=${error} />
      ${items.length === 0 && !error && html`<p class="muted">${ux('empty')}</p>`}
      ${items.length > 0 &&
      html`<div class="table-scroll"><table data-testid="audit-log">
        <thead><tr><th>${ux('when')}</th><th>${ux('who')}</th><th>${ux('action')}</th><th>${ux('what')}</th><th>${ux('change')}</th></tr></thead>
        <tbody>${items.map(
          (e) => html`<tr>
            <td class="small">${formatTime(e.at)}</td>
            <td>${e.userName}</td>
            <td>${actionName(e.action)}</td>
            <td>${entityName(e.entity)}<div class="muted small">${e.entityLabel ?? ''}</div>
              ${e.entity.startsWith('masterplan.') ? html`<div><a class="small" href="#/masterplan/collaboration">${ux('masterplanLink')}</a></div>` : ''}</td>
            <td><${Change} e=${e} /></td>
          </tr>`,
        )}</tbody>
      </table></div>`}
      ${cursor && html`<button class="ghost" onClick=${() => page(cursor)}>${ux('more')}</button>`}
    </section>
  `;
}
