/**
 * A native date picker (date, month or datetime-local) with the chosen date
 * written under it in the screen's language: Chromium shows the picker in the
 * browser's locale (*12/03/2026*), which a page cannot change, so an Indonesian
 * screen also says *3 Desember 2026* and an English one *3 December 2026*.
 */
import { formatDateValue } from './format.js';
import { html } from './html.js';
import { getLang } from './i18n.js';

export type DateInputType = 'date' | 'month' | 'datetime-local';
export const isDateInputType = (type: unknown): type is DateInputType => type === 'date' || type === 'month' || type === 'datetime-local';

/** `<label>` with the input (every other prop goes to the input) and the date as text. */
export function DateField({ label, type = 'date', value, ...input }: { label: unknown; type?: DateInputType; value: string } & Record<string, unknown>) {
  const text = formatDateValue(value ?? '', getLang());
  return html`<label class="date-field">${label}<input type=${type} value=${value} ...${input} />${text && html`<span class="small date-text" data-testid="date-text">${text}</span>`}</label>`;
}
