/** What the admin screens (Pengelolaan) share: loading a list, a form's fields, messages, filling texts, copying a secret. */
import { useEffect, useState } from 'preact/hooks';
import { all, api } from '../api.js';
import { CopyButton as SharedCopyButton } from '../copy.js';
import { DateField, isDateInputType } from '../date-field.js';
import { html } from '../html.js';

/**
 * A list from the API, a reload, and why it failed to load. Paged lists
 * (`{items,nextCursor}`) are read to the end; `paged = false` takes a plain array.
 */
export function useList<T>(path: string, paged = true): [T[] | null, () => void, string | null] {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    const p = paged ? all<T>(path) : api<T[]>('GET', path);
    p.then(
      (list) => {
        setItems(list);
        setError(null);
      },
      (err: Error) => {
        setItems([]);
        setError(err.message);
      },
    );
  };
  useEffect(load, [path]);
  return [items, load, error];
}

/** A text with `{name}` holes filled in; a hole without a value stays as it is. */
export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (hole, name: string) => (name in values ? String(values[name]) : hole));

export function Message({ error }: { error: string | null }) {
  return error ? html`<p class="error" role="alert">${error}</p>` : null;
}

export function useForm<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  const field = (name: keyof T & string, label: string, extra: Record<string, unknown> = {}) => isDateInputType(extra.type)
    ? html`<${DateField} label=${label} name=${name} value=${values[name]} onInput=${(e: Event) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value })} ...${extra} />`
    : html`
    <label>${label}<input name=${name} value=${values[name]} onInput=${(e: Event) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value })} ...${extra} /></label>
  `;
  return { values, setValues, field, reset: () => setValues(initial) };
}

/** The copy button with the admin screens' look. */
export function CopyButton({ text }: { text: string }) {
  return html`<${SharedCopyButton} text=${text} className="ghost" />`;
}
