/** What the admin screens (Pengelolaan) share: loading a list, a form's fields, messages, filling texts, copying a secret. */
import { useEffect, useState } from 'preact/hooks';
import { all, api } from '../api.js';
import { html } from '../html.js';
import { texts } from '../i18n.js';

const cx = texts({
  copy: ['Salin', 'Copy'],
  copied: ['Tersalin ✓', 'Copied ✓'],
});

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
  const field = (name: keyof T & string, label: string, extra: Record<string, unknown> = {}) => html`
    <label>${label}<input name=${name} value=${values[name]} onInput=${(e: Event) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value })} ...${extra} /></label>
  `;
  return { values, setValues, field, reset: () => setValues(initial) };
}

/** Copies a text; on plain http (no Clipboard API outside a secure origin) through a selected textarea. */
export function CopyButton({ text }: { text: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 2000);
  };
  return html`<button type="button" class="ghost" onClick=${copy}>${done ? cx('copied') : cx('copy')}</button>`;
}
