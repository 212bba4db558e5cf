/**
 * One list of the master plan records (strategic issues, ICT entries,
 * strategies, goals, development plans, appendices): a table, and for an editor
 * an add form and each row's edit and delete. The fields say how each value is
 * entered; the list posts to /masterplan/records/{name}.
 */
import type { Records } from '../../../src/modules/masterplan/records/records.contract.js';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { errorText, Message, tx } from './masterplan-common.js';
import { rx } from './masterplan-records-texts.js';

/** How a field is entered: its body key, label, input and choices (select), limits. */
export interface Field {
  key: string;
  label: string;
  input: 'text' | 'textarea' | 'select' | 'year';
  options?: { value: string; label: string }[];
  /** select: '' (nothing chosen) is sent as null */
  optional?: boolean;
  required?: boolean;
  max?: number;
  min?: number;
}
export type Values = Record<string, string>;
type Row = { id: string };

/** The body of a form's values: a year as a number, an empty optional choice as null. */
export function bodyOf(fields: Field[], v: Values): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.key, f.input === 'year' ? (v[f.key] === '' ? null : Number(v[f.key])) : f.input === 'select' && f.optional && v[f.key] === '' ? null : v[f.key] ?? '']));
}

export function EntryForm({ fields, initial, testid, onSave, onCancel }: { fields: Field[]; initial: Values; testid: string; onSave: (v: Values) => Promise<void>; onCancel: () => void }) {
  const [v, setV] = useState<Values>(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(v);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="mp-form mp-record-form" data-testid=${testid} onSubmit=${submit}>
      <div class="row wrap">
        ${fields.map((f) =>
          f.input === 'select'
            ? html`<label>${f.label}<select name=${f.key} required=${!!f.required} value=${v[f.key] ?? ''} onChange=${set(f.key)}>${(f.optional || !v[f.key]) && html`<option value="">—</option>`}${(f.options ?? []).map((o) => html`<option value=${o.value}>${o.label}</option>`)}</select></label>`
            : f.input === 'year'
              ? html`<label>${f.label}<input type="number" name=${f.key} required=${!!f.required} min=${f.min ?? 2000} max=${f.max ?? 2100} value=${v[f.key] ?? ''} onInput=${set(f.key)} /></label>`
              : f.input === 'text'
                ? html`<label class="grow">${f.label}<input name=${f.key} required=${!!f.required} maxlength=${f.max} value=${v[f.key] ?? ''} onInput=${set(f.key)} /></label>`
                : null,
        )}
      </div>
      ${fields.filter((f) => f.input === 'textarea').map((f) => html`<label>${f.label}<textarea name=${f.key} rows="2" required=${!!f.required} maxlength=${f.max} value=${v[f.key] ?? ''} onInput=${set(f.key)}></textarea></label>`)}
      <${Message} error=${error} />
      <div class="row"><button type="submit" disabled=${busy} data-testid=${`${testid}-save`}>${tx('save')}</button><button type="button" class="ghost" onClick=${onCancel}>${tx('cancel')}</button></div>
    </form>
  `;
}

export function EntryList<R extends Row>({ name, title, hint, rows, headers, cells, fields, valuesOf, editable, onChanged }: {
  name: string; title: string; hint?: string; rows: R[]; headers: string[]; cells: (r: R) => unknown[]; fields: Field[]; valuesOf: (r: R | null) => Values; editable: boolean; onChanged: (r: Records) => void;
}) {
  const [editing, setEditing] = useState<R | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async (v: Values) => {
    const body = bodyOf(fields, v);
    const next = editing === 'new' || editing === null ? await api<Records>('POST', `/masterplan/records/${name}`, body) : await api<Records>('PATCH', `/masterplan/records/${name}/${encodeURIComponent(editing.id)}`, body);
    setEditing(null);
    onChanged(next);
  };
  const remove = async (r: R) => {
    if (!confirm(rx('confirmDelete'))) return;
    try {
      await api('DELETE', `/masterplan/records/${name}/${encodeURIComponent(r.id)}`);
      onChanged(await api<Records>('GET', '/masterplan/records'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`
    <div class="card mp-records-list" data-testid=${`records-${name}`}>
      <div class="row wrap">
        <h3>${title}</h3>
        <span class="spacer"></span>
        ${editable && editing === null && html`<button class="ghost" data-testid=${`records-${name}-add`} onClick=${() => setEditing('new')}>${tx('add')}</button>`}
      </div>
      ${hint && html`<p class="small muted">${hint}</p>`}
      ${editing && html`<${EntryForm} key=${editing === 'new' ? 'new' : editing.id} fields=${fields} initial=${valuesOf(editing === 'new' ? null : editing)} testid=${`records-${name}-form`} onSave=${save} onCancel=${() => setEditing(null)} />`}
      <${Message} error=${error} />
      ${rows.length === 0
        ? html`<p class="small muted">${rx('empty')}</p>`
        : html`<div class="mp-table-wrap"><table>
            <thead><tr>${headers.map((h) => html`<th>${h}</th>`)}${editable && html`<th></th>`}</tr></thead>
            <tbody>
              ${rows.map(
                (r) => html`<tr data-id=${r.id}>
                  ${cells(r).map((c, i) => html`<td data-label=${headers[i]}>${c}</td>`)}
                  ${editable && html`<td class="nowrap mp-actions"><button class="ghost small" onClick=${() => setEditing(r)}>${tx('edit')}</button> <button class="ghost small danger" onClick=${() => remove(r)}>${tx('remove')}</button></td>`}
                </tr>`,
              )}
            </tbody>
          </table></div>`}
    </div>
  `;
}
