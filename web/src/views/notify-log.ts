/** Notifikasi → Log: every message, newest first, a page at a time, filtered by state. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatTime } from '../i18n.js';
import { Message } from './admin-common.js';
import { channelName, eventName, levelText, nx, StateChip, stateName, STATES, Times, type Notification } from './notify-common.js';

const PAGE = 50;

export function NotificationLog() {
  const [state, setState] = useState('');
  const [items, setItems] = useState<Notification[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const page = (after: string | null) =>
    api<{ items: Notification[]; nextCursor: string | null }>('GET', `/notifications?limit=${PAGE}${state ? `&state=${state}` : ''}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`).then(
      (p) => {
        setItems((before) => (after ? [...before, ...p.items] : p.items));
        setCursor(p.nextCursor);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => void page(null), [state, version]);

  /** A fallback's original is usually on the same page: bring it into view and mark it. */
  const show = (id: string) => {
    const row = document.querySelector(`tr[data-notification="${CSS.escape(id)}"]`);
    row?.scrollIntoView({ block: 'center' });
    row?.classList.add('flash');
    setTimeout(() => row?.classList.remove('flash'), 2000);
  };
  const about = (n: Notification) =>
    html`${eventName(n.event)}${n.alarmId ? html`<div><a href=${`#/alarms/${n.alarmId}`}>${nx('alarm')} →</a></div>` : ''}${n.incidentId ? html`<div><a href=${`#/incidents/${n.incidentId}`}>${nx('incident')} →</a></div>` : ''}`;

  return html`
    <section class="card notify-log">
      <div class="row wrap">
        <label>${nx('state')}<select name="state" value=${state} onChange=${(e: Event) => setState((e.target as HTMLSelectElement).value)}>
          <option value="">${nx('allStates')}</option>${STATES.map((s) => html`<option value=${s}>${stateName(s)}</option>`)}
        </select></label>
        <button class="ghost" onClick=${() => setVersion((v) => v + 1)}>${nx('refresh')}</button>
      </div>
      <${Message} error=${error} />
      ${items.length === 0 && !error && html`<p class="muted">${nx('noDeliveries')}</p>`}
      ${items.length > 0 &&
      html`<div class="table-scroll"><table data-testid="notification-log">
        <thead><tr><th>${nx('when')}</th><th>${nx('recipient')}</th><th>${nx('channel')}</th><th>${nx('about')}</th><th>${nx('level')}</th><th>${nx('state')}</th><th>${nx('times')}</th></tr></thead>
        <tbody>${items.map(
          (n) => html`<tr data-notification=${n.id}>
            <td class="small">${formatTime(n.createdAt)}</td>
            <td>${n.recipientName ?? '—'}<div class="muted small">${n.address}</div></td>
            <td>${channelName(n.channel)}${n.fallbackOf ? html`<div><button class="link small" onClick=${() => show(n.fallbackOf!)}>↪ ${nx('fallbackOf')}</button></div>` : ''}</td>
            <td>${about(n)}</td>
            <td>${levelText(n.escalationLevel)}</td>
            <td><${StateChip} n=${n} /></td>
            <td><${Times} n=${n} /></td>
          </tr>`,
        )}</tbody>
      </table></div>`}
      ${cursor && html`<button class="ghost" onClick=${() => page(cursor)}>${nx('more')}</button>`}
    </section>
  `;
}
