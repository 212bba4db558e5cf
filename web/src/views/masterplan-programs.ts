/** Programs from the planning documents: import with a preview, the list with filters, mapping onto dimensions, quick wins, the roadmap. */
import type { ImportPreview, Program } from '../../../src/modules/masterplan/programs/programs.contract.js';
import { DOCUMENT_KEYS as DOCUMENTS } from '../../../src/modules/masterplan/masterplan.constants.ts';
import { useEffect, useState } from 'preact/hooks';
import { api, upload } from '../api.js';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import { numberText } from '../format.js';
import { ProgramReview } from './masterplan-collab.js';
import { canEdit, dimName, elementName, errorText, L, Message, num, rupiah, tx, useFramework, useMe, useOpds, useStanding, type Framework } from './masterplan-common.js';

const px = texts({
  import: ['Impor dokumen perencanaan', 'Import a planning document'],
  importHint: ['Berkas CSV atau XLSX seperti ekspor SIPD (kode, nama, indikator, target, pagu, OPD, tahun, lokasi).', 'A CSV or XLSX file as SIPD exports it (code, name, indicator, target, budget, OPD, year, location).'],
  file: ['Berkas', 'File'],
  preview: ['Pratinjau', 'Preview'],
  previewHint: ['Belum ada yang disimpan. Periksa lalu konfirmasi.', 'Nothing is saved yet. Check, then confirm.'],
  confirm: ['Konfirmasi impor', 'Confirm import'],
  rows: ['Baris', 'Rows'],
  valid: ['Baris valid', 'Valid rows'],
  duplicates: ['Duplikat', 'Duplicates'],
  unchanged: ['Tidak berubah', 'Unchanged'],
  errors: ['Baris bermasalah', 'Rows with problems'],
  row: ['Baris', 'Row'],
  imported: ['Impor selesai', 'Import done'],
  created: ['baru', 'new'],
  updated: ['diperbarui', 'updated'],
  list: ['Daftar program', 'Program list'],
  roadmap: ['Peta jalan', 'Roadmap'],
  suggestion: ['Saran', 'Suggestion'],
  accept: ['Terima saran', 'Accept suggestion'],
  matched: ['kata cocok', 'matched words'],
  roadmapYear: ['Tahun peta jalan', 'Roadmap year'],
  review: ['Telaah', 'Review'],
  indicator: ['Indikator', 'Indicator'],
  location: ['Lokasi', 'Location'],
  level: ['Tingkat', 'Level'],
  details: ['Rincian', 'Details'],
  onlyQuick: ['Hanya quick win', 'Quick wins only'],
  unmapped: ['Belum dipetakan', 'Not mapped'],
  inherits: ['Dihitung dalam dimensi induknya', 'Counted in the dimension of its parent'],
  count: ['program', 'programs'],
  unplaced: ['Belum ditempatkan di peta jalan', 'Not placed on the roadmap'],
  more: ['Muat lagi', 'Load more'],
  new: ['Baru', 'New'],
  changed: ['Berubah', 'Changed'],
  action: ['Tindakan', 'Action'],
  create: ['tambah', 'create'],
  update: ['perbarui', 'update'],
  keep: ['tetap', 'keep'],
  sampleNote: ['Contoh baris (paling banyak 50 ditampilkan)', 'Sample rows (at most 50 shown)'],
});

export type { Program };
type Preview = ImportPreview;
const actionName = (a: string) => (a === 'create' ? px('create') : a === 'update' ? px('update') : a === 'unchanged' || a === 'keep' ? px('keep') : a);

export async function loadPrograms(query: string): Promise<Program[]> {
  const out: Program[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page: { items: Program[]; nextCursor: string | null } = await api('GET', `/masterplan/programs?${query}${query ? '&' : ''}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

export function Programs() {
  const fw = useFramework();
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const [filters, setFilters] = useState({ opdId: '', dimension: '', document: '', year: '', q: '' });
  const [programs, setPrograms] = useState<Program[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<'list' | 'roadmap'>('list');
  const [open, setOpen] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const query = Object.entries(filters)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      loadPrograms(query)
        .then((p) => {
          if (!live) return;
          setPrograms(p);
          setError(null);
        })
        .catch((err) => live && setError(errorText(err)));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, n]);
  const reload = () => setN((x) => x + 1);
  const replace = (p: Program) => setPrograms((list) => (list ?? []).map((x) => (x.id === p.id ? p : x)));
  const f = (k: keyof typeof filters) => (e: Event) => setFilters({ ...filters, [k]: (e.target as HTMLInputElement).value });
  const editableAny = !!me && me.role !== 'viewer';
  return html`
    <section class="mp-programs" data-testid="mp-programs">
      ${editableAny && html`<${Importer} onDone=${reload} />`}
      <div class="card">
        <div class="row wrap">
          <h2>${view === 'list' ? px('list') : px('roadmap')}</h2>
          <span class="muted">${programs ? `${num(programs.length, 0)} ${px('count')}` : tx('loading')}</span>
          <span class="spacer"></span>
          <div class="seg" role="group">
            <button class=${view === 'list' ? 'on' : 'ghost'} aria-pressed=${view === 'list'} onClick=${() => setView('list')}>${px('list')}</button>
            <button class=${view === 'roadmap' ? 'on' : 'ghost'} aria-pressed=${view === 'roadmap'} onClick=${() => setView('roadmap')}>${px('roadmap')}</button>
          </div>
        </div>
        <form class="inline mp-filters" onSubmit=${(e: Event) => e.preventDefault()}>
          <label>${tx('search')}<input type="search" name="q" value=${filters.q} onInput=${f('q')} /></label>
          <label>${tx('opd')}<select name="opdId" value=${filters.opdId} onChange=${f('opdId')}><option value="">${tx('all')}</option>${(opds ?? []).map((o) => html`<option value=${o.id}>${o.code}</option>`)}</select></label>
          <label>${tx('dimension')}<select name="dimension" value=${filters.dimension} onChange=${f('dimension')}><option value="">${tx('all')}</option><option value="none">${px('unmapped')}</option>${(fw?.dimensions ?? []).map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}</select></label>
          <label>${tx('document')}<select name="document" value=${filters.document} onChange=${f('document')}><option value="">${tx('all')}</option>${DOCUMENTS.map((d) => html`<option value=${d}>${d}</option>`)}</select></label>
          <label>${tx('year')}<input type="number" name="year" min="2000" max="2100" value=${filters.year} onInput=${f('year')} /></label>
        </form>
        <${Message} error=${error} />
        ${view === 'list'
          ? html`<div class="mp-table-wrap">
              <table class="mp-program-table">
                <thead><tr><th>${tx('code')}</th><th>${tx('name')}</th><th>${tx('opd')}</th><th>${tx('document')}</th><th class="num">${tx('year')}</th><th class="num">${tx('budget')}</th><th>${tx('dimension')} / ${tx('element')}</th><th>${tx('horizon')}</th><th>${px('review')}</th></tr></thead>
                <tbody>
                  ${(programs ?? []).map((p) => html`<${ProgramRow} key=${p.id} p=${p} parent=${p.dimensionKey === null ? mappedParent(programs ?? [], p) : null} fw=${fw} editable=${canEdit(me, opds, p.opdId, standing)} onChange=${replace} open=${open === p.id} onToggle=${() => setOpen(open === p.id ? null : p.id)} onReviewed=${reload} />`)}
                </tbody>
              </table>
            </div>`
          : html`<${Roadmap} programs=${programs ?? []} fw=${fw} />`}
      </div>
    </section>
  `;
}

function Importer({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [documentType, setDocumentType] = useState('RKPD');
  const [year, setYear] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const send = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setMsg({});
    setPreview(null);
    try {
      const fields: Record<string, string | Blob> = { document: documentType };
      if (year) fields.year = year;
      fields.file = file;
      setPreview(await upload<Preview>('/masterplan/programs/import', fields, file.name));
    } catch (err) {
      setMsg({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const res = await api<{ created: number; updated: number; unchanged: number }>('POST', `/masterplan/programs/import/${encodeURIComponent(preview.importId)}/confirm`, {});
      setMsg({ ok: `${px('imported')}: ${res.created} ${px('created')}, ${res.updated} ${px('updated')}, ${res.unchanged} ${px('unchanged').toLowerCase()}` });
      setPreview(null);
      onDone();
    } catch (err) {
      setMsg({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const sample = preview?.sample ?? [];
  return html`
    <div class="card mp-import">
      <h2>${px('import')}</h2>
      <p class="small muted">${px('importHint')}</p>
      <form class="inline" onSubmit=${send}>
        <label>${px('file')}<input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange=${(e: Event) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} /></label>
        <label>${tx('document')}<select name="document" value=${documentType} onChange=${(e: Event) => setDocumentType((e.target as HTMLSelectElement).value)}>${DOCUMENTS.map((d) => html`<option value=${d}>${d}</option>`)}</select></label>
        <label>${tx('year')}<input type="number" name="importYear" min="2000" max="2100" value=${year} onInput=${(e: Event) => setYear((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" disabled=${!file || busy} data-testid="import-preview">${busy ? tx('loading') : px('preview')}</button>
      </form>
      <${Message} ...${msg} />
      ${preview &&
      html`<div class="mp-preview" data-testid="import-result">
        <p class="muted">${px('previewHint')}</p>
        <div class="stats">
          <div class="stat"><span>${px('rows')}</span><strong>${num(preview.rows, 0)}</strong></div>
          <div class="stat"><span>${px('valid')}</span><strong data-testid="preview-valid">${num(preview.valid, 0)}</strong></div>
          <div class="stat"><span>${px('new')}</span><strong data-testid="preview-created">${num(preview.created, 0)}</strong></div>
          <div class="stat"><span>${px('changed')}</span><strong>${num(preview.updated, 0)}</strong></div>
          <div class="stat"><span>${px('unchanged')}</span><strong data-testid="preview-unchanged">${num(preview.unchanged, 0)}</strong></div>
          <div class="stat"><span>${px('duplicates')}</span><strong>${num(preview.duplicates, 0)}</strong></div>
          <div class="stat"><span>${px('errors')}</span><strong data-testid="preview-errors">${num(preview.errors.length, 0)}</strong></div>
        </div>
        ${preview.errors.length > 0 &&
        html`<div class="mp-table-wrap"><table class="mp-errors" data-testid="preview-error-table">
          <thead><tr><th>${px('row')}</th><th>${tx('reason')}</th></tr></thead>
          <tbody>${preview.errors.slice(0, 200).map((e) => html`<tr><td class="num">${e.row}</td><td>${e.reason}</td></tr>`)}</tbody>
        </table></div>`}
        ${sample.length > 0 &&
        html`<div class="mp-table-wrap mp-preview-rows"><table data-testid="preview-sample">
          <thead><tr><th>${px('row')}</th><th>${tx('code')}</th><th>${tx('name')}</th><th>${tx('opd')}</th><th>${px('indicator')}</th><th>${tx('target')}</th><th class="num">${tx('budget')}</th><th>${tx('year')}</th><th>${px('location')}</th><th>${px('action')}</th></tr></thead>
          <tbody>${sample.map((r) => html`<tr><td class="num">${r.row}</td><td>${r.code}</td><td>${r.name}</td><td>${r.opdCode ?? '—'}</td><td>${r.indicator}</td><td>${r.target} ${r.unit}</td><td class="num">${rupiah(r.budget)}</td><td>${r.year}</td><td>${r.location}</td><td>${actionName(r.action)}</td></tr>`)}</tbody>
        </table></div>`}
        <div class="row"><button onClick=${confirm} disabled=${busy || preview.valid === 0} data-testid="import-confirm">${px('confirm')}</button><button class="ghost" onClick=${() => setPreview(null)}>${tx('cancel')}</button></div>
      </div>`}
    </div>
  `;
}

/**
 * The nearest listed kegiatan or program above an unmapped row (same document, year and OPD) that
 * is mapped: the documents and the dashboard count the row in that dimension (programs.hierarchy.ts).
 */
function mappedParent(list: Program[], p: Program): Program | null {
  const parts = p.code.split('.');
  for (const n of [5, 3]) {
    if (parts.length <= n) continue;
    const code = parts.slice(0, n).join('.');
    const parent = list.find((x) => x.code === code && x.document === p.document && x.year === p.year && x.opdId === p.opdId);
    if (parent?.dimensionKey) return parent;
    if (parent) return mappedParent(list, parent);
  }
  return null;
}

function ProgramRow({ p, parent, fw, editable, onChange, open, onToggle, onReviewed }: { p: Program; parent: Program | null; fw: Framework | null; editable: boolean; onChange: (p: Program) => void; open: boolean; onToggle: () => void; onReviewed: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const patch = async (body: Partial<Program>) => {
    try {
      onChange(await api<Program>('PATCH', `/masterplan/programs/${encodeURIComponent(p.id)}`, body));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const dim = fw?.dimensions.find((d) => d.key === p.dimensionKey);
  const s = p.suggestion;
  const suggestionDiffers = s && (s.dimensionKey !== p.dimensionKey || (s.elementKey ?? null) !== (p.elementKey ?? null));
  return html`
    <tr data-program=${p.code} data-editable=${editable ? 'yes' : 'no'}>
      <td><button class="link" aria-expanded=${open} onClick=${onToggle} title=${px('details')}>${p.code}</button></td>
      <td class=${`mp-level mp-${p.level}`}>${p.name}${p.indicator && html`<div class="small muted">${p.indicator}${p.target ? ` — ${numberText(p.target, getLang())}` : ''}${p.unit ? ` ${p.unit}` : ''}</div>`}</td>
      <td>${p.opdCode ?? '—'}</td>
      <td>${p.document}</td>
      <td class="num">${p.year}</td>
      <td class="num">${rupiah(p.budget)}</td>
      <td class="mp-map">
        ${editable
          ? html`<select aria-label=${`${tx('dimension')} ${p.code}`} name="dimensionKey" value=${p.dimensionKey ?? ''} onChange=${(e: Event) => {
                const v = (e.target as HTMLSelectElement).value || null;
                patch({ dimensionKey: v, elementKey: null });
              }}>
                <option value="">${px('unmapped')}</option>${(fw?.dimensions ?? []).map((d) => html`<option value=${d.key}>${L(d.nameId, d.nameEn)}</option>`)}
              </select>
              <select aria-label=${`${tx('element')} ${p.code}`} name="elementKey" value=${p.elementKey ?? ''} disabled=${!dim} onChange=${(e: Event) => patch({ dimensionKey: p.dimensionKey, elementKey: (e.target as HTMLSelectElement).value || null })}>
                <option value="">—</option>${(dim?.elements ?? []).map((el) => html`<option value=${el.key}>${L(el.nameId, el.nameEn)}</option>`)}
              </select>`
          : html`<span>${dimName(fw, p.dimensionKey)}</span> <span class="muted">${elementName(fw, p.dimensionKey, p.elementKey)}</span>`}
        ${parent && html`<div class="small muted" data-testid="inherited">${px('inherits')} (${parent.code}): ${dimName(fw, parent.dimensionKey)}</div>`}
        ${s &&
        suggestionDiffers &&
        html`<div class="mp-suggest small">
          ${px('suggestion')}: <strong>${dimName(fw, s.dimensionKey)}</strong>${s.elementKey ? html` / ${elementName(fw, s.dimensionKey, s.elementKey)}` : ''}
          ${s.words?.length > 0 && html`<span class="muted"> (${px('matched')}: ${s.words.map((w) => html`<mark translate=${false}>${w}</mark> `)})</span>`}
          ${editable && html`<button class="ghost small" data-testid="accept-suggestion" onClick=${() => patch({ dimensionKey: s.dimensionKey, elementKey: s.elementKey ?? null })}>${px('accept')}</button>`}
        </div>`}
        ${error && html`<div class="error small" role="alert">${error}</div>`}
      </td>
      <td class="mp-horizon">
        ${editable
          ? html`<select aria-label=${`${tx('horizon')} ${p.code}`} value=${p.horizon ?? ''} onChange=${(e: Event) => patch({ horizon: ((e.target as HTMLSelectElement).value || null) as Program['horizon'] })}>
                <option value="">—</option><option value="short">${tx('short')}</option><option value="medium">${tx('medium')}</option><option value="long">${tx('long')}</option>
              </select>
              <input type="number" min="2000" max="2100" class="year" aria-label=${`${px('roadmapYear')} ${p.code}`} value=${p.roadmapYear ?? ''} onChange=${(e: Event) => patch({ roadmapYear: Number((e.target as HTMLInputElement).value) || null })} />`
          : html`${p.horizon ? tx(p.horizon) : '—'} ${p.roadmapYear ?? ''}`}
      </td>
      <td><span class=${`chip review-${p.reviewStatus}`}>${tx(p.reviewStatus as 'draft')}</span></td>
    </tr>
    ${open &&
    html`<tr class="mp-detail-row"><td colspan="10">
      <dl class="values">
        <div><dt>${px('level')}</dt><dd>${p.level}</dd></div>
        <div><dt>${px('indicator')}</dt><dd>${p.indicator ?? '—'}</dd></div>
        <div><dt>${tx('target')}</dt><dd>${p.target ? numberText(p.target, getLang()) : '—'} ${p.unit ?? ''}</dd></div>
        <div><dt>${px('location')}</dt><dd>${p.location ?? '—'}</dd></div>
      </dl>
      <${ProgramReview} program=${p} editable=${editable} onChanged=${onReviewed} />
    </td></tr>`}
  `;
}

function Roadmap({ programs, fw }: { programs: Program[]; fw: Framework | null }) {
  const horizons = ['short', 'medium', 'long'] as const;
  const unplaced = programs.filter((p) => !p.horizon);
  return html`
    <div class="mp-roadmap" data-testid="roadmap">
      ${horizons.map((h) => {
        const list = programs.filter((p) => p.horizon === h);
        const years = [...new Set(list.map((p) => p.roadmapYear ?? 0))].sort((a, b) => a - b);
        return html`<div class=${`mp-lane lane-${h}`}>
          <h3>${tx(h)} <span class="muted small">(${list.length})</span></h3>
          ${years.map(
            (y) => html`<div class="mp-lane-year">
              <h4>${y || '—'}</h4>
              <ul>${list.filter((p) => (p.roadmapYear ?? 0) === y).map((p) => html`<li><strong>${p.name}</strong><span class="small muted">${p.opdCode ?? ''} · ${dimName(fw, p.dimensionKey)}</span></li>`)}</ul>
            </div>`,
          )}
        </div>`;
      })}
      ${unplaced.length > 0 && html`<p class="small muted mp-unplaced">${px('unplaced')}: ${unplaced.length}</p>`}
    </div>
  `;
}
