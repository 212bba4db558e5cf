/**
 * What the notification screens share: their texts, the names of events,
 * channels, states and placeholders in both languages, the state chip and the
 * delivery list (the alarm page and an incident show who was told, how, and
 * what became of each message).
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatTime, getLang, texts } from '../i18n.js';
import type { ChannelKind, NotificationEvent, NotificationState, NotificationView } from '../../../src/modules/notifications/notifications.contract.js';

export const nx = texts({
  tab: ['Notifikasi', 'Notifications'],
  channelsTab: ['Kanal', 'Channels'],
  templatesTab: ['Templat pesan', 'Message templates'],
  logTab: ['Log', 'Log'],
  deliveries: ['Pesan terkirim', 'Messages sent'],
  noDeliveries: ['Belum ada pesan.', 'No messages yet.'],
  when: ['Waktu', 'Time'],
  recipient: ['Penerima', 'Recipient'],
  channel: ['Kanal', 'Channel'],
  about: ['Tentang', 'About'],
  level: ['Tahap', 'Level'],
  state: ['Status', 'State'],
  times: ['Terkirim / diterima / dibaca', 'Sent / delivered / read'],
  fallbackOf: ['pengganti pesan yang gagal', 'replaces a failed message'],
  ackedHere: ['ditangani dari pesan ini', 'acknowledged from this message'],
  alarm: ['Alarm', 'Alarm'],
  incident: ['Kejadian', 'Incident'],
  nextTry: ['dicoba lagi', 'next try'],
  allStates: ['Semua status', 'All states'],
  more: ['Muat lagi', 'Load more'],
  refresh: ['Perbarui', 'Refresh'],
  someone: ['pengguna lain', 'another user'],
});

/** Typed by the contract's lists: an event, channel or state without its names is a compile error. */
const EVENT_NAMES: Record<NotificationEvent, [string, string]> = {
  'alarm.raised': ['Alarm muncul atau naik level', 'Alarm raised or rose'],
  'alarm.escalated': ['Eskalasi alarm (belum ditangani)', 'Alarm escalated (unacknowledged)'],
  'alarm.summary': ['Ringkasan perubahan alarm per jam', 'Hourly summary of an alarm'],
  'incident.sla_breached': ['Kejadian lewat tenggat', 'Incident past due'],
  'incident.reporter_update': ['Kabar untuk pelapor', 'Update to the reporter'],
  'warning.public': ['Peringatan dini publik', 'Public early warning'],
  'contact.verify': ['Kode verifikasi kontak', 'Contact verification code'],
  'subscription.confirm': ['Konfirmasi langganan warga', "A resident's subscription"],
  'channel.test': ['Uji kanal', 'Channel test'],
};
const CHANNEL_NAMES: Record<ChannelKind, [string, string]> = {
  email: ['Email (SMTP)', 'Email (SMTP)'],
  telegram: ['Telegram', 'Telegram'],
  whatsapp: ['WhatsApp', 'WhatsApp'],
  sms: ['SMS gateway', 'SMS gateway'],
  webhook: ['Webhook', 'Webhook'],
};
const STATE_NAMES: Record<NotificationState, [string, string]> = {
  queued: ['Antre', 'Queued'],
  sending: ['Mengirim', 'Sending'],
  sent: ['Terkirim', 'Sent'],
  delivered: ['Diterima', 'Delivered'],
  read: ['Dibaca', 'Read'],
  failed: ['Gagal', 'Failed'],
  suppressed: ['Ditahan', 'Held back'],
  cancelled: ['Dibatalkan', 'Cancelled'],
};
const PLACEHOLDER_NAMES: Record<string, [string, string]> = {
  what: ['Apa', 'What'],
  level: ['Level', 'Level'],
  where: ['Lokasi', 'Where'],
  value: ['Nilai', 'Value'],
  condition: ['Kondisi', 'Condition'],
  trend: ['Tren', 'Trend'],
  time: ['Waktu', 'Time'],
  opd: ['OPD', 'Agency'],
  link: ['Tautan halaman', 'Page link'],
  ackLink: ['Tautan tangani', 'Acknowledge link'],
  minutes: ['Menit', 'Minutes'],
  count: ['Jumlah', 'Count'],
  ticket: ['Nomor tiket', 'Ticket'],
  title: ['Judul', 'Title'],
  category: ['Kategori', 'Category'],
  due: ['Tenggat', 'Due'],
  status: ['Status', 'Status'],
  text: ['Teks', 'Text'],
  stopLink: ['Tautan berhenti', 'Stop link'],
  code: ['Kode', 'Code'],
  channel: ['Kanal', 'Channel'],
};
const nameIn = (names: Partial<Record<string, [string, string]>>, key: string) => names[key]?.[getLang() === 'id' ? 0 : 1] ?? key;
export const eventName = (event: string) => nameIn(EVENT_NAMES, event);
export const channelName = (channel: string) => nameIn(CHANNEL_NAMES, channel);
/** A person's contact is a number or an address, not a server: "SMS", not "SMS gateway". */
const CONTACT_NAMES: Record<string, string> = { sms: 'SMS', email: 'Email' };
export const contactChannelName = (channel: string) => CONTACT_NAMES[channel] ?? channelName(channel);
export const stateName = (state: string) => nameIn(STATE_NAMES, state);
export const placeholderName = (placeholder: string) => nameIn(PLACEHOLDER_NAMES, placeholder);
export const EVENTS = Object.keys(EVENT_NAMES);
export const CHANNELS = Object.keys(CHANNEL_NAMES);
export const STATES = Object.keys(STATE_NAMES);

/** A message of the notification log, as `GET /notifications` answers it. */
export type Notification = NotificationView;

/**
 * Why a message failed or was held back, in the screen's language: the platform's own reasons
 * are known; a provider's own words (an SMTP or gateway answer) are shown as they came, marked English.
 */
const REASONS: [RegExp, (m: RegExpMatchArray) => [string, string]][] = [
  [/^no verified contact/, () => ['tidak ada kontak terverifikasi: orang ini belum menambah dan memverifikasi telepon, email atau Telegram', 'no verified contact: the person has not added and verified a phone, email or Telegram']],
  [/^acknowledged or cleared before it was sent/, () => ['alarm sudah ditangani atau selesai sebelum pesan terkirim', 'acknowledged or cleared before it was sent']],
  [/^unsubscribed before it was sent/, () => ['warga berhenti berlangganan sebelum pesan terkirim', 'unsubscribed before it was sent']],
  [/^more than (\d+) messages about this alarm in an hour/, (m) => [`lebih dari ${m[1]} pesan tentang alarm ini dalam satu jam: dirangkum`, `more than ${m[1]} messages about this alarm in an hour: summed up instead`]],
];
function reasonText(error: string) {
  for (const [pattern, words] of REASONS) {
    const m = error.match(pattern);
    if (m) return html`<span class="error small" data-testid="state-error">${words(m)[getLang() === 'en' ? 1 : 0]}</span>`;
  }
  return html`<span class="error small" data-testid="state-error" lang="en">${error}</span>`;
}

/** The state as a coloured chip, with why it failed or was held back beside it. */
export function StateChip({ n }: { n: Pick<Notification, 'state' | 'error' | 'nextAttemptAt'> }) {
  return html`<span class=${`chip ns-${n.state}`} data-testid="state" data-state=${n.state}>${stateName(n.state)}</span>${n.error ? html` ${reasonText(n.error)}` : ''}${n.state === 'queued' && n.nextAttemptAt ? html` <span class="muted small">${nx('nextTry')} ${formatTime(n.nextAttemptAt)}</span>` : ''}`;
}

/** Sent, delivered and read times, one per line, only those that happened. */
export function Times({ n }: { n: Notification }) {
  const parts = [n.sentAt && `${stateName('sent')} ${formatTime(n.sentAt)}`, n.deliveredAt && `${stateName('delivered')} ${formatTime(n.deliveredAt)}`, n.readAt && `${stateName('read')} ${formatTime(n.readAt)}`].filter(Boolean);
  return parts.length === 0 ? html`<span class="muted">—</span>` : html`${parts.map((p) => html`<div class="small">${p}</div>`)}`;
}

/** "Tahap 1" for the first level of an escalation (the API counts from 0). */
export const levelText = (level: number | null) => (level === null ? '—' : `${nx('level')} ${level + 1}`);

/**
 * The messages about one alarm or incident, read again every 10 s while shown
 * (the live stream has no topic for messages) and whenever `version` changes.
 */
/** `version` changes when something says the list moved (the stream); `pollMs` reads it again anyway. */
export function DeliveryList({ query, version = 0, pollMs = 15_000 }: { query: string; version?: number; pollMs?: number }) {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api<{ items: Notification[] }>('GET', `/notifications?${query}&limit=200`).then(
        (page) => !cancelled && (setItems(page.items), setError(null)),
        (e: Error) => !cancelled && setError(e.message),
      );
    void load();
    const timer = setInterval(load, pollMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [query, version, pollMs]);
  return html`
    <section class="card deliveries" aria-label=${nx('deliveries')} data-testid="deliveries">
      <h2 class="card-title">${nx('deliveries')}</h2>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${items?.length === 0 && html`<p class="muted">${nx('noDeliveries')}</p>`}
      ${items && items.length > 0 &&
      html`<div class="table-scroll"><table>
        <thead><tr><th>${nx('when')}</th><th>${nx('recipient')}</th><th>${nx('channel')}</th><th>${nx('level')}</th><th>${nx('state')}</th><th>${nx('times')}</th></tr></thead>
        <tbody>${items.map(
          (n) => html`<tr data-notification=${n.id}>
            <td class="small">${formatTime(n.createdAt)}<div class="muted">${eventName(n.event)}</div></td>
            <td>${n.recipientName ?? '—'}<div class="muted small">${n.address}</div></td>
            <td>${channelName(n.channel)}${n.fallbackOf ? html`<div class="muted small">↪ ${nx('fallbackOf')}</div>` : ''}</td>
            <td>${levelText(n.escalationLevel)}</td>
            <td><${StateChip} n=${n} />${n.acknowledgedFromHere ? html`<div class="ok small">✓ ${nx('ackedHere')}</div>` : ''}</td>
            <td><${Times} n=${n} /></td>
          </tr>`,
        )}</tbody>
      </table></div>`}
    </section>
  `;
}
