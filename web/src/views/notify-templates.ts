/**
 * Notifikasi → Templat pesan: per event, channel and language, the subject and
 * text of a message; the event's placeholders as chips that insert `{{name}}`
 * where the cursor is; save (the server refuses a placeholder the event does
 * not have, and its message shows beside the field) or go back to the built-in words.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { html } from '../html.js';
import { formatTime, t, texts } from '../i18n.js';
import { channelName, CHANNELS, eventName, EVENTS, nx, placeholderName } from './notify-common.js';
import type { TemplateView as Template } from '../../../src/modules/notifications/notifications.contract.js';

const tx = texts({
  event: ['Jenis pesan', 'Message type'],
  language: ['Bahasa pesan', 'Message language'],
  subject: ['Subjek (email)', 'Subject (email)'],
  body: ['Isi pesan', 'Message text'],
  placeholders: ['Isian — klik untuk menyisipkan:', 'Placeholders — click to insert:'],
  builtIn: ['Teks bawaan', 'Built-in text'],
  custom: ['Diubah', 'Changed'],
  reset: ['Kembalikan ke teks bawaan', 'Back to the built-in text'],
});
const LANGUAGES: [string, string][] = [['id', 'Bahasa Indonesia'], ['en', 'English']];


export function NotificationTemplates() {
  const [all, setAll] = useState<Template[] | null>(null);
  const [key, setKey] = useState({ event: 'alarm.raised', channel: 'whatsapp', language: 'id' });
  const [error, setError] = useState<string | null>(null);
  const load = () => api<Template[]>('GET', '/notifications/templates').then(setAll, (e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  const current = all?.find((x) => x.event === key.event && x.channel === key.channel && x.language === key.language);
  const choose = (name: keyof typeof key) => (e: Event) => setKey({ ...key, [name]: (e.target as HTMLSelectElement).value });
  return html`
    <section class="card notify-templates">
      <div class="row wrap">
        <label>${tx('event')}<select name="event" value=${key.event} onChange=${choose('event')}>${EVENTS.map((ev) => html`<option value=${ev}>${eventName(ev)}</option>`)}</select></label>
        <label>${nx('channel')}<select name="channel" value=${key.channel} onChange=${choose('channel')}>${CHANNELS.map((c) => html`<option value=${c}>${channelName(c)}</option>`)}</select></label>
        <label>${tx('language')}<select name="language" value=${key.language} onChange=${choose('language')}>${LANGUAGES.map(([v, name]) => html`<option value=${v}>${name}</option>`)}</select></label>
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${current && html`<${TemplateEditor} key=${`${key.event}/${key.channel}/${key.language}`} template=${current} onSaved=${load} />`}
    </section>
  `;
}

function TemplateEditor({ template, onSaved }: { template: Template; onSaved: () => void }) {
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [problem, setProblem] = useState<{ field: 'subject' | 'body'; message: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const subjectEl = useRef<HTMLInputElement>(null);
  const bodyEl = useRef<HTMLTextAreaElement>(null);
  /** the field the admin was typing in last: a chip inserts there */
  const lastField = useRef<'subject' | 'body'>('body');
  // back to the built-in words: show them
  useEffect(() => {
    if (!template.custom) {
      setSubject(template.subject);
      setBody(template.body);
    }
  }, [template.custom]);
  const path = `/notifications/templates/${template.event}/${template.channel}/${template.language}`;

  const insert = (name: string) => {
    const field = lastField.current;
    const el = field === 'subject' ? subjectEl.current : bodyEl.current;
    const text = field === 'subject' ? subject : body;
    const at = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? at;
    const next = `${text.slice(0, at)}{{${name}}}${text.slice(end)}`;
    (field === 'subject' ? setSubject : setBody)(next);
    setSaved(false);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + name.length + 4, at + name.length + 4);
    });
  };
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await api('PUT', path, { subject, body });
      setProblem(null);
      setSaved(true);
      onSaved();
    } catch (err) {
      const message = (err as Error).message;
      // the server names the field (details.field, and first in its message: "subject: {{x}} is not a placeholder of …")
      const field = err instanceof ApiError ? ((err.body as { error?: { details?: { field?: string } } } | null)?.error?.details?.field ?? err.serverMessage.split(':')[0]) : '';
      setProblem({ field: field === 'subject' ? 'subject' : 'body', message });
      setSaved(false);
    }
  };
  const reset = async () => {
    try {
      await api('DELETE', path);
      setProblem(null);
      onSaved();
    } catch (err) {
      setProblem({ field: 'body', message: (err as Error).message });
    }
  };
  const fieldError = (field: 'subject' | 'body') => problem?.field === field && html`<span class="error" role="alert" data-testid="template-error">${problem.message}</span>`;
  return html`
    <form class="cat-form" onSubmit=${save}>
      <p class="small"><span class=${`chip ${template.custom ? 'ns-sent' : ''}`}>${template.custom ? tx('custom') : tx('builtIn')}</span>${template.updatedAt ? html` <span class="muted">${formatTime(template.updatedAt)}</span>` : ''}</p>
      <label>${tx('subject')}<input name="subject" ref=${subjectEl} value=${subject} maxLength="300" onFocus=${() => (lastField.current = 'subject')}
        onInput=${(e: Event) => (setSubject((e.target as HTMLInputElement).value), setSaved(false))} />${fieldError('subject')}</label>
      <label>${tx('body')}<textarea name="body" ref=${bodyEl} rows="8" value=${body} maxLength="4000" onFocus=${() => (lastField.current = 'body')}
        onInput=${(e: Event) => (setBody((e.target as HTMLTextAreaElement).value), setSaved(false))}></textarea>${fieldError('body')}</label>
      <div class="row wrap placeholders" data-testid="placeholders">
        <span class="muted small">${tx('placeholders')}</span>
        ${template.placeholders.map(
          (p) => html`<button type="button" class="chip placeholder-chip" data-placeholder=${p} title=${`{{${p}}}`} onMouseDown=${(e: Event) => e.preventDefault()} onClick=${() => insert(p)}>${placeholderName(p)} <code translate=${false}>{{${p}}}</code></button>`,
        )}
      </div>
      <div class="row">
        <button type="submit">${t('save')}</button>
        ${template.custom && html`<button type="button" class="ghost danger" onClick=${reset}>${tx('reset')}</button>`}
        ${saved && html`<span class="ok" role="status">${t('saved')}</span>`}
      </div>
    </form>
  `;
}
