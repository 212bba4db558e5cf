/** Report categories (the Open311 services), admin: routing to an OPD, names, group, default severity, on or off. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import { fill, Message, useList } from './admin-common.js';
import { forgetLookups, SEVERITIES, severityLabel, type Category, type Opd } from './incidents-common.js';
import { CATEGORY_GROUP_NAMES, LAPOR_RHYTHM } from '../../../src/modules/incidents/incidents.constants.ts';

/** A group's name in the language; one the region typed itself as typed. */
const groupName = (group: string) => CATEGORY_GROUP_NAMES[group]?.[getLang() === 'id' ? 0 : 1] ?? group;

export const gx = texts({
  tab: ['Kategori laporan', 'Report categories'],
  add: ['Tambah kategori', 'Add a category'],
  editing: ['Ubah kategori', 'Edit category'],
  code: ['Kode layanan Open311', 'Open311 service code'],
  codeHint: ['huruf kecil, angka dan _; tidak dapat diubah kemudian', 'lower-case letters, digits and _; cannot be changed later'],
  nameId: ['Nama (Indonesia)', 'Name (Indonesian)'],
  nameEn: ['Nama (Inggris)', 'Name (English)'],
  name: ['Nama', 'Name'],
  descriptionId: ['Keterangan (Indonesia)', 'Description (Indonesian)'],
  descriptionEn: ['Keterangan (Inggris)', 'Description (English)'],
  group: ['Kelompok', 'Group'],
  opd: ['Diteruskan ke OPD', 'Routed to OPD'],
  noOpd: ['— tidak diteruskan (admin memilah) —', '— not routed (admins triage) —'],
  missingOpd: ['(OPD tidak ada)', '(no such OPD)'],
  severity: ['Tingkat bawaan', 'Default severity'],
  keywords: ['Kata kunci (pisahkan dengan koma)', 'Keywords (comma-separated)'],
  active: ['Aktif', 'Active'],
  autoPublish: ['Tampilkan laporan warga di peta publik tanpa moderasi', "Show residents' reports on the public map without moderation"],
  autoPublishHint: ['Bawaan: tidak; petugas menyetujui teks dan foto setiap laporan dulu.', 'Default: off; an operator approves each report\'s text and photo first.'],
  inactive: ['Nonaktif', 'Inactive'],
  questions: ['Pertanyaan tambahan', 'Extra questions'],
  questionsReadOnly: ['Pertanyaan tambahan hanya dapat diubah lewat API (PATCH /api/v1/incident-categories/{code}, field attributes).', 'Extra questions can only be changed through the API (PATCH /api/v1/incident-categories/{code}, field attributes).'],
  required: ['wajib', 'required'],
  state: ['Status', 'Status'],
  edit: ['Ubah', 'Edit'],
  save: ['Simpan', 'Save'],
  cancel: ['Batal', 'Cancel'],
  deactivate: ['Nonaktifkan', 'Deactivate'],
  activate: ['Aktifkan', 'Activate'],
  remove: ['Hapus', 'Delete'],
  confirmDeactivate: ['Nonaktifkan kategori "{name}"? Warga dan aplikasi Open311 tidak dapat memilihnya lagi; laporan yang ada tidak berubah.', 'Deactivate the category "{name}"? Residents and Open311 apps can no longer choose it; existing reports stay as they are.'],
  confirmRemove: ['Hapus kategori "{name}"? Jika sudah ada laporan dengan kategori ini, kategori hanya dinonaktifkan.', 'Delete the category "{name}"? If reports already use it, it is only deactivated.'],
  removed: ['Kategori "{name}" dihapus.', 'Category "{name}" deleted.'],
  keptInactive: ['Kategori "{name}" sudah dipakai laporan, jadi dinonaktifkan, tidak dihapus.', 'Reports use the category "{name}", so it was deactivated, not deleted.'],
  saved: ['Kategori "{name}" tersimpan.', 'Category "{name}" saved.'],
  sla: ['SLA (hari kerja)', 'SLA (working days)'],
  slaOrder: ['diteruskan / ditindaklanjuti / ditutup; abu-abu: bawaan SP4N-LAPOR!', 'routed / followed up / closed; grey: the SP4N-LAPOR! default'],
  slaRoute: ['Diteruskan dalam (hari kerja)', 'Routed within (working days)'],
  slaFollowUp: ['Ditindaklanjuti dalam (hari kerja)', 'Followed up within (working days)'],
  slaClose: ['Ditutup bila pelapor diam (hari kerja)', 'Closes if the reporter is silent (working days)'],
  slaDefault: ['{n} (bawaan)', '{n} (default)'],
  slaHint: ['SLA kosong memakai ritme SP4N-LAPOR!: diteruskan 3, ditindaklanjuti 5, ditutup 10 hari kerja.', 'An empty SLA takes the SP4N-LAPOR! rhythm: routed within 3, followed up within 5, closed after 10 working days.'],
  unrouted: ['Tidak diteruskan — admin memilah', 'Not routed — admins triage'],
  noSuchOpd: ['OPD {code} tidak ada', 'OPD {code} does not exist'],
  unroutedSummary: [
    '{n} kategori aktif diteruskan ke OPD yang tidak ada: laporannya masuk tanpa OPD dan harus dipilah admin. Pilih OPD lain atau tambahkan OPD itu di tab OPD.',
    '{n} active categories route to an OPD that does not exist: their reports arrive without an OPD and admins must triage them. Choose another OPD, or add that OPD under the OPD tab.',
  ],
});

const nameOf = (c: Category) => (getLang() === 'id' ? c.nameId : c.nameEn);

/** The form's fields as typed: the category's own, its OPD code ('' = not routed) and its keywords as one line. */
/** The SLA stages a category may set, each with the SP4N-LAPOR! default in working days (null in the API). */
const SLA = [
  { field: 'slaRouteDays', label: 'slaRoute', byDefault: LAPOR_RHYTHM.routeWithinWorkingDays },
  { field: 'slaFollowUpDays', label: 'slaFollowUp', byDefault: LAPOR_RHYTHM.followUpWithinWorkingDays },
  { field: 'slaCloseDays', label: 'slaClose', byDefault: LAPOR_RHYTHM.closeAfterSilentWorkingDays },
] as const;
type SlaField = (typeof SLA)[number]['field'];

/** The form's fields as typed: the category's own, its OPD code ('' = not routed), its keywords as one line, its SLA days ('' = the default). */
type Draft = Pick<Category, 'code' | 'nameId' | 'nameEn' | 'descriptionId' | 'descriptionEn' | 'group' | 'defaultSeverity' | 'active' | 'autoPublish'> & { opdCode: string; keywords: string } & Record<SlaField, string>;
interface Editing {
  /** null: a new category */
  code: string | null;
  /** the form as it opened */
  opened: Draft;
  draft: Draft;
}
const EMPTY: Draft = { code: '', nameId: '', nameEn: '', descriptionId: '', descriptionEn: '', group: '', opdCode: '', defaultSeverity: 'medium', keywords: '', active: true, autoPublish: false, slaRouteDays: '', slaFollowUpDays: '', slaCloseDays: '' };
const draftOf = (c: Category): Draft => ({
  code: c.code,
  nameId: c.nameId,
  nameEn: c.nameEn,
  descriptionId: c.descriptionId,
  descriptionEn: c.descriptionEn,
  group: c.group,
  opdCode: c.opdCode ?? '',
  defaultSeverity: c.defaultSeverity,
  keywords: c.keywords.join(', '),
  active: c.active,
  autoPublish: c.autoPublish,
  slaRouteDays: String(c.slaRouteDays ?? ''),
  slaFollowUpDays: String(c.slaFollowUpDays ?? ''),
  slaCloseDays: String(c.slaCloseDays ?? ''),
});
const days = (typed: string) => (typed.trim() === '' ? null : Number(typed));
/** The fields POST and PATCH take, from the form. */
const bodyOf = (d: Draft) => ({
  nameId: d.nameId.trim(),
  nameEn: d.nameEn.trim(),
  descriptionId: d.descriptionId.trim(),
  descriptionEn: d.descriptionEn.trim(),
  group: d.group.trim(),
  opdCode: d.opdCode === '' ? null : d.opdCode,
  defaultSeverity: d.defaultSeverity,
  keywords: d.keywords.split(',').map((k) => k.trim()).filter(Boolean),
  active: d.active,
  autoPublish: d.autoPublish,
  slaRouteDays: days(d.slaRouteDays),
  slaFollowUpDays: days(d.slaFollowUpDays),
  slaCloseDays: days(d.slaCloseDays),
});
/** What the form changed: PATCH sends only that, so it does not undo another admin's change of another field. */
function changes(before: Draft, after: Draft): Partial<ReturnType<typeof bodyOf>> {
  const a = bodyOf(before);
  const b = bodyOf(after);
  return Object.fromEntries(Object.entries(b).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(a[k as keyof typeof a])));
}

export function Categories() {
  const [cats, reload, loadError] = useList<Category>('/incident-categories', false);
  const [opds] = useList<Opd>('/opds', false);
  /** null: no form; code null (a new category) or the code being edited, with the form as it opened */
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);

  const run = async (work: () => Promise<string | null>) => {
    try {
      const message = await work();
      setError(null);
      setOk(message);
      forgetLookups(); // the incident screens cache the categories
      reload();
    } catch (err) {
      setOk(null);
      setError((err as Error).message);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    const { code, draft } = editing;
    void run(async () => {
      let saved: Category;
      if (code === null) {
        saved = await api<Category>('POST', '/incident-categories', { code: draft.code.trim(), ...bodyOf(draft) });
      } else saved = await api<Category>('PATCH', `/incident-categories/${encodeURIComponent(code)}`, changes(editing.opened, draft));
      setEditing(null);
      return fill(gx('saved'), { name: nameOf(saved) });
    });
  };
  const setActive = (c: Category, active: boolean) => {
    if (!active && !confirm(fill(gx('confirmDeactivate'), { name: nameOf(c) }))) return;
    void run(async () => {
      await api('PATCH', `/incident-categories/${encodeURIComponent(c.code)}`, { active });
      if (editing?.code === c.code) setEditing({ ...editing, opened: { ...editing.opened, active }, draft: { ...editing.draft, active } });
      return fill(gx('saved'), { name: nameOf(c) });
    });
  };
  const remove = (c: Category) => {
    if (!confirm(fill(gx('confirmRemove'), { name: nameOf(c) }))) return;
    void run(async () => {
      await api('DELETE', `/incident-categories/${encodeURIComponent(c.code)}`);
      // The API deactivates instead of deleting a category that reports use: say which happened.
      const still = (await api<Category[]>('GET', '/incident-categories')).some((x) => x.code === c.code);
      if (editing?.code === c.code) setEditing(null);
      return fill(still ? gx('keptInactive') : gx('removed'), { name: nameOf(c) });
    });
  };

  // Not routed on purpose (opdCode null, e.g. "other") is a choice; routed to a code no OPD has is a mistake.
  const unrouted = (cats ?? []).filter((c) => c.active && c.opdCode !== null && c.opdId === null);
  const groups = [...new Set((cats ?? []).map((c) => c.group))].sort();
  const opdCell = (c: Category) => {
    if (c.opdCode === null) return html`<span class="muted small">${gx('unrouted')}</span>`;
    if (c.opdId === null) return html`<span class="warn small" data-testid="missing-opd">⚠ ${fill(gx('noSuchOpd'), { code: c.opdCode })}</span>`;
    return html`<span title=${opds?.find((o) => o.id === c.opdId)?.name ?? ''}>${c.opdCode}</span>`;
  };

  return html`
    <section class="card">
      <div class="row wrap">
        <button onClick=${() => setEditing({ code: null, opened: EMPTY, draft: EMPTY })} disabled=${editing?.code === null}>${gx('add')}</button>
      </div>
      <${Message} error=${error ?? loadError} />
      ${ok && html`<p class="ok" role="status">${ok}</p>`}
      ${unrouted.length > 0 && html`<p class="warn" role="note" data-testid="unrouted-summary">⚠ ${fill(gx('unroutedSummary'), { n: unrouted.length })}</p>`}
      ${editing && html`<${CategoryForm} key=${editing.code ?? ''} editing=${editing} opds=${opds ?? []} groups=${groups} cats=${cats ?? []} onChange=${(draft: Draft) => setEditing({ ...editing, draft })} onSubmit=${save} onCancel=${() => setEditing(null)} />`}
      <div class="table-wrap flat">
        <table class="cat-table">
          <thead><tr><th>${gx('code')}</th><th>${gx('name')}</th><th>${gx('group')}</th><th>${gx('opd')}</th><th>${gx('severity')}</th><th>${gx('questions')}</th><th title=${gx('slaOrder')}>${gx('sla')}</th><th>${gx('state')}</th><th></th></tr></thead>
          <tbody>
            ${(cats ?? []).map(
              (c) => html`<tr data-category=${c.code} class=${c.active ? '' : 'off'}>
                <td><code translate=${false}>${c.code}</code></td>
                <td>${getLang() === 'id' ? html`${c.nameId}<div class="muted small" lang="en">${c.nameEn}</div>` : html`${c.nameEn}<div class="muted small" lang="id">${c.nameId}</div>`}</td>
                <td title=${c.group}>${groupName(c.group)}</td>
                <td data-testid="routed">${opdCell(c)}</td>
                <td><span class=${`sev sev-${c.defaultSeverity}`}>${severityLabel(c.defaultSeverity)}</span></td>
                <td class="num" title=${c.attributes.map((a) => a.code).join(', ')}>${c.attributes.length}</td>
                <td class="sla-days" title=${gx('slaOrder')} data-testid="sla">${SLA.map((x, i) => html`${i > 0 && ' / '}${c[x.field] === null ? html`<span class="muted">${x.byDefault}</span>` : html`<strong>${c[x.field]}</strong>`}`)}</td>
                <td>${c.active ? gx('active') : gx('inactive')}</td>
                <td><div class="row wrap actions-cell">
                  <button class="ghost" onClick=${() => setEditing({ code: c.code, opened: draftOf(c), draft: draftOf(c) })}>${gx('edit')}</button>
                  ${c.active
                    ? html`<button class="ghost" onClick=${() => setActive(c, false)}>${gx('deactivate')}</button>`
                    : html`<button class="ghost" onClick=${() => setActive(c, true)}>${gx('activate')}</button>`}
                  <button class="ghost danger" onClick=${() => remove(c)}>${gx('remove')}</button>
                </div></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
  `;
}

function CategoryForm(props: {
  editing: Editing;
  opds: Opd[];
  groups: string[];
  cats: Category[];
  onChange: (d: Draft) => void;
  onSubmit: (e: Event) => void;
  onCancel: () => void;
}) {
  const { editing, opds, groups, cats, onChange, onSubmit, onCancel } = props;
  const d = editing.draft;
  const isNew = editing.code === null;
  const set = (patch: Partial<Draft>) => onChange({ ...d, ...patch });
  const text = (name: 'code' | 'nameId' | 'nameEn' | 'group', label: string, extra: Record<string, unknown> = {}) => html`
    <label>${label}<input name=${name} value=${d[name]} onInput=${(e: Event) => set({ [name]: (e.target as HTMLInputElement).value })} ...${extra} /></label>
  `;
  const area = (name: 'descriptionId' | 'descriptionEn', label: string) => html`
    <label class="wide">${label}<textarea name=${name} rows="2" maxLength=${2000} value=${d[name]} onInput=${(e: Event) => set({ [name]: (e.target as HTMLTextAreaElement).value })}></textarea></label>
  `;
  // An OPD code that no OPD has (any more) stays choosable, marked, so saving does not change it silently.
  const missing = d.opdCode !== '' && !opds.some((o) => o.code === d.opdCode);
  const attributes = isNew ? [] : (cats.find((c) => c.code === editing.code)?.attributes ?? []);
  return html`
    <form class="cat-form" onSubmit=${onSubmit} aria-label=${isNew ? gx('add') : gx('editing')} data-testid="category-form">
      <h2 class="card-title">${isNew ? gx('add') : `${gx('editing')}: ${editing.code}`}</h2>
      <div class="fields">
        ${isNew && text('code', gx('code'), { required: true, pattern: '[a-z0-9_]{1,50}', title: gx('codeHint') })}
        ${text('nameId', gx('nameId'), { required: true, maxLength: 200 })} ${text('nameEn', gx('nameEn'), { required: true, maxLength: 200 })}
        ${text('group', gx('group'), { required: true, maxLength: 100, list: 'category-groups' })}
        <datalist id="category-groups">${groups.map((g) => html`<option value=${g} />`)}</datalist>
        <label>${gx('opd')}<select name="opdCode" value=${d.opdCode} onChange=${(e: Event) => set({ opdCode: (e.target as HTMLSelectElement).value })}>
          <option value="">${gx('noOpd')}</option>
          ${opds.map((o) => html`<option value=${o.code}>${o.code} — ${o.name}</option>`)}
          ${missing && html`<option value=${d.opdCode}>${d.opdCode} ${gx('missingOpd')}</option>`}
        </select></label>
        <label>${gx('severity')}<select name="defaultSeverity" value=${d.defaultSeverity} onChange=${(e: Event) => set({ defaultSeverity: (e.target as HTMLSelectElement).value as Draft['defaultSeverity'] })}>
          ${SEVERITIES.map((s) => html`<option value=${s}>${severityLabel(s)}</option>`)}
        </select></label>
        <label class="check"><input type="checkbox" name="active" checked=${d.active} onChange=${(e: Event) => set({ active: (e.target as HTMLInputElement).checked })} /> ${gx('active')}</label>
        <label class="check" title=${gx('autoPublishHint')}><input type="checkbox" name="autoPublish" checked=${d.autoPublish} onChange=${(e: Event) => set({ autoPublish: (e.target as HTMLInputElement).checked })} /> ${gx('autoPublish')}</label>
        ${area('descriptionId', gx('descriptionId'))} ${area('descriptionEn', gx('descriptionEn'))}
        ${SLA.map(
          (x) => html`<label>${gx(x.label)}<input type="number" name=${x.field} min="1" max="60" step="1" inputMode="numeric" placeholder=${fill(gx('slaDefault'), { n: x.byDefault })} value=${d[x.field]} onInput=${(e: Event) => set({ [x.field]: (e.target as HTMLInputElement).value })} /></label>`,
        )}
        <p class="wide muted small">${gx('slaHint')}</p>
        <label class="wide">${gx('keywords')}<input name="keywords" value=${d.keywords} onInput=${(e: Event) => set({ keywords: (e.target as HTMLInputElement).value })} /></label>
      </div>
      ${missing && html`<p class="warn small">⚠ ${fill(gx('noSuchOpd'), { code: d.opdCode })}</p>`}
      ${!isNew &&
      html`<div class="small">
        <strong>${gx('questions')} (${attributes.length})</strong>
        ${attributes.length > 0 &&
        html`<ul class="questions">${attributes.map((a) => html`<li><code translate=${false}>${a.code}</code> · ${a.datatype}${a.required ? ` · ${gx('required')}` : ''} — ${getLang() === 'id' ? a.descriptionId : a.descriptionEn}</li>`)}</ul>`}
        <p class="muted">${fill(gx('questionsReadOnly'), { code: editing.code ?? '' })}</p>
      </div>`}
      <div class="row wrap">
        <button type="submit">${gx('save')}</button>
        <button type="button" class="ghost" onClick=${onCancel}>${gx('cancel')}</button>
      </div>
    </form>
  `;
}
