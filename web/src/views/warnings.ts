/**
 * Public warnings (#/warnings): the drafts prepared from Awas alarms of one's
 * OPD (admins: all), to read, edit, discard, or approve and send to the
 * kecamatan's confirmed subscribers; and the warnings sent, with who approved
 * them and how their messages fared. Nothing reaches residents without the
 * approval here.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { html } from '../html.js';
import { formatTime, severityName, texts } from '../i18n.js';
import type { WarningDto } from '../../../src/modules/notifications/residents.contract.js';

const wx = texts({
  title: ['Peringatan dini publik', 'Public early warnings'],
  nav: ['Peringatan dini', 'Early warnings'],
  intro: [
    'Draf disiapkan otomatis saat alarm mencapai Awas di suatu kecamatan. Tidak ada yang dikirim ke warga sebelum Anda menyetujuinya.',
    'Drafts are prepared when an alarm reaches Warning (Awas) in a kecamatan. Nothing reaches residents before you approve it.',
  ],
  drafts: ['Draf', 'Drafts'],
  sent: ['Terkirim', 'Sent'],
  discarded: ['Dibuang', 'Discarded'],
  none: ['Tidak ada peringatan di sini.', 'No warnings here.'],
  kecamatan: ['Kecamatan', 'Kecamatan'],
  level: ['Tingkat', 'Level'],
  alarm: ['Lihat alarm', 'See the alarm'],
  created: ['Disiapkan', 'Prepared'],
  titleId: ['Judul (Bahasa Indonesia)', 'Title (Bahasa Indonesia)'],
  textId: ['Isi (Bahasa Indonesia)', 'Text (Bahasa Indonesia)'],
  titleEn: ['Judul (Inggris)', 'Title (English)'],
  textEn: ['Isi (Inggris)', 'Text (English)'],
  save: ['Simpan perubahan', 'Save changes'],
  saved: ['Tersimpan.', 'Saved.'],
  discard: ['Buang draf', 'Discard the draft'],
  confirmDiscard: ['Buang draf ini? Tidak ada yang dikirim.', 'Discard this draft? Nothing is sent.'],
  approve: ['Setujui dan kirim', 'Approve and send'],
  confirmApprove: ['Kirim peringatan ini ke semua pelanggan terkonfirmasi di Kec. {k}?', 'Send this warning to every confirmed subscriber in {k}?'],
  approvedBy: ['Disetujui oleh', 'Approved by'],
  queued: ['Pesan diantrekan', 'Messages queued'],
  deliveries: ['Pengiriman', 'Deliveries'],
  state_sending: ['Sedang dikirim', 'Sending'],
  state_sent: ['Terkirim', 'Sent'],
  state_draft: ['Draf', 'Draft'],
  state_discarded: ['Dibuang', 'Discarded'],
  d_queued: ['antre', 'queued'],
  d_sending: ['dikirim', 'sending'],
  d_sent: ['terkirim', 'sent'],
  d_delivered: ['diterima', 'delivered'],
  d_read: ['dibaca', 'read'],
  d_failed: ['gagal', 'failed'],
  d_cancelled: ['dibatalkan', 'cancelled'],
  d_suppressed: ['ditahan', 'held back'],
  forbidden: ['Peringatan ini milik OPD lain.', "This warning is another OPD's."],
  viewersNot: ['Peringatan dini disiapkan dan disetujui oleh admin dan operator OPD; pimpinan membacanya di peta dan halaman alarm.', 'Early warnings are prepared and approved by admins and OPD operators; leaders read them on the map and the alarm pages.'],
  conflict: ['Peringatan ini sudah tidak berstatus draf. Muat ulang.', 'This warning is no longer a draft. Reload.'],
  reload: ['Muat ulang', 'Reload'],
});

type Tab = 'draft' | 'sent' | 'discarded';
const TAB_STATES: Record<Tab, string> = { draft: 'draft', sent: 'sending,sent', discarded: 'discarded' };

function message(e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return /role/.test(e.serverMessage) ? wx('viewersNot') : wx('forbidden');
  if (e instanceof ApiError && e.status === 409) return wx('conflict');
  return e instanceof Error ? e.message : String(e);
}

export function warningsNav(): string {
  return wx('nav');
}

export function WarningsView() {
  const [tab, setTab] = useState<Tab>('draft');
  const [items, setItems] = useState<WarningDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    api<{ items: WarningDto[] }>('GET', `/warnings?state=${TAB_STATES[tab]}`).then((r) => setItems(r.items), (e) => setError(message(e)));
  };
  useEffect(load, [tab]);
  const tabButton = (key: Tab, label: string) => html`<button class=${tab === key ? 'on' : 'ghost'} aria-pressed=${tab === key} onClick=${() => setTab(key)}>${label}</button>`;
  return html`<section class="warnings" data-testid="warnings">
    <div class="row wrap"><h2 style="margin:0">${wx('title')}</h2><span class="spacer"></span><button class="ghost" onClick=${load}>${wx('reload')}</button></div>
    <p class="muted">${wx('intro')}</p>
    <div class="row wrap" role="group">${tabButton('draft', wx('drafts'))}${tabButton('sent', wx('sent'))}${tabButton('discarded', wx('discarded'))}</div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${items && items.length === 0 && html`<p class="muted">${wx('none')}</p>`}
    <div class="warning-list">${items?.map((w) => html`<${WarningCard} key=${w.id} warning=${w} onChange=${load} />`)}</div>
  </section>`;
}

function WarningCard({ warning: w, onChange }: { warning: WarningDto; onChange: () => void }) {
  const [draft, setDraft] = useState({ titleId: w.titleId, textId: w.textId, titleEn: w.titleEn, textEn: w.textEn });
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const editable = w.state === 'draft';
  const act = async (run: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setNote(null);
    try {
      await run();
      if (done) setNote({ ok: true, text: done });
      onChange();
    } catch (e) {
      setNote({ ok: false, text: message(e) });
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof draft, label: string, rows: number) =>
    html`<label>${label}${rows === 1
      ? html`<input name=${key} value=${draft[key]} maxLength=${200} disabled=${!editable} onInput=${(e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })} />`
      : html`<textarea name=${key} rows=${rows} maxLength=${1000} disabled=${!editable} value=${draft[key]} onInput=${(e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLTextAreaElement).value })}></textarea>`}</label>`;
  const counts = Object.entries(w.deliveries).filter(([, n]) => n > 0);
  return html`<article class="card warning-card" data-testid="warning" data-state=${w.state}>
    <div class="row wrap">
      <strong>${wx('kecamatan')} ${w.districtName}</strong>
      <span class="chip">${wx('level')}: ${severityName(w.severity)}</span>
      <span class="chip">${wx(`state_${w.state}`)}</span>
      <span class="spacer"></span>
      <a href=${`#/alarms/${w.alarmId}`}>${wx('alarm')}</a>
    </div>
    <p class="muted small">${wx('created')} ${formatTime(w.createdAt)}</p>
    <div class="warning-fields">
      ${field('titleId', wx('titleId'), 1)}${field('textId', wx('textId'), 4)}
      ${field('titleEn', wx('titleEn'), 1)}${field('textEn', wx('textEn'), 4)}
    </div>
    ${w.approvedAt !== null && html`<p>${wx('approvedBy')} <strong>${w.approvedByName ?? w.approvedBy}</strong>, ${formatTime(w.approvedAt)} · ${wx('queued')}: <strong data-testid="queued">${w.queued}</strong></p>`}
    ${counts.length > 0 && html`<p class="small">${wx('deliveries')}: ${counts.map(([state, n]) => html`<span class="chip">${n} ${wx(`d_${state}` as 'd_sent')}</span> `)}</p>`}
    ${note && html`<p class=${note.ok ? 'ok' : 'error'} role=${note.ok ? 'status' : 'alert'}>${note.text}</p>`}
    ${editable && html`<div class="row wrap">
      <button class="ghost" disabled=${busy} onClick=${() => act(() => api('PATCH', `/warnings/${w.id}`, draft), wx('saved'))}>${wx('save')}</button>
      <button class="ghost danger" disabled=${busy} onClick=${() => confirm(wx('confirmDiscard')) && act(() => api('POST', `/warnings/${w.id}/discard`))}>${wx('discard')}</button>
      <span class="spacer"></span>
      <button disabled=${busy} onClick=${() => confirm(wx('confirmApprove').replace('{k}', w.districtName)) && act(async () => {
        await api('PATCH', `/warnings/${w.id}`, draft);
        await api('POST', `/warnings/${w.id}/approve`);
      })}>${wx('approve')}</button>
    </div>`}
  </article>`;
}
