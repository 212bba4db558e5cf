/**
 * Kontak saya (#/me/contacts, every signed-in user): where alerts reach me, in
 * the order they are tried; adding one sends a code to it (Telegram: a link to
 * open and press Start); my language and quiet hours.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatTime, t, texts } from '../i18n.js';
import { Message } from './admin-common.js';
import { contactChannelName } from './notify-common.js';
import type { Contact, ContactChannel, NotificationSettings as Settings } from '../../../src/modules/notifications/notifications.contract.js';

export const mx = texts({
  title: ['Kontak saya', 'My contacts'],
  intro: ['Peringatan dikirim ke kontak terverifikasi sesuai urutan ini; bila satu gagal, kontak berikutnya dicoba.', 'Alerts go to verified contacts in this order; when one fails, the next is tried.'],
  none: ['Belum ada kontak. Tambahkan nomor WhatsApp, SMS, email atau Telegram Anda.', 'No contacts yet. Add your WhatsApp or SMS number, email or Telegram.'],
  add: ['Tambah kontak', 'Add contact'],
  number: ['Nomor HP, mis. 0812…', 'Mobile number, e.g. 0812…'],
  address: ['Alamat', 'Address'],
  verified: ['Terverifikasi', 'Verified'],
  unverified: ['Belum diverifikasi', 'Not verified'],
  code: ['Kode yang diterima', 'Code received'],
  verify: ['Verifikasi', 'Verify'],
  resend: ['Kirim ulang kode', 'Send a new code'],
  codeUntil: ['kode berlaku s.d.', 'code valid until'],
  openTelegram: ['Buka Telegram', 'Open Telegram'],
  telegramHelp: ['Buka tautan ini, tekan Start di obrolan dengan bot, lalu tekan Perbarui di sini.', 'Open this link, press Start in the chat with the bot, then press Refresh here.'],
  telegramPending: ['Menunggu Start di Telegram', 'Waiting for Start in Telegram'],
  refresh: ['Perbarui', 'Refresh'],
  up: ['Naikkan', 'Move up'],
  down: ['Turunkan', 'Move down'],
  remove: ['Hapus', 'Remove'],
  settings: ['Bahasa dan jam tenang', 'Language and quiet hours'],
  messageLanguage: ['Bahasa pesan', 'Message language'],
  quietStart: ['Jam tenang mulai', 'Quiet hours from'],
  quietEnd: ['Jam tenang sampai', 'Quiet hours until'],
  quietNote: ['Selama jam tenang pesan ditahan sampai jam tenang berakhir. Pesan Awas tetap dikirim kapan pun.', 'During quiet hours messages wait until they end. Warning (Awas) messages come anyway.'],
});
/** The channels a person may add, in the order offered. */
const ADDABLE: readonly ContactChannel[] = ['whatsapp', 'sms', 'email', 'telegram'];


export function MyContacts() {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  /** Telegram answers its link only when added or resent: kept here until linked */
  const [links, setLinks] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [channel, setChannel] = useState('whatsapp');
  const [address, setAddress] = useState('');
  const load = () => api<Contact[]>('GET', '/me/contacts').then(setContacts, (e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      await load();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  };
  const remember = (c: Contact) => c.telegramLink && setLinks((l) => ({ ...l, [c.id]: c.telegramLink! }));
  const add = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const added = await api<Contact>('POST', '/me/contacts', channel === 'telegram' ? { channel } : { channel, address });
      remember(added);
      setAddress('');
    });
  };
  const move = (i: number, by: number) => {
    const ids = (contacts ?? []).map((c) => c.id);
    const [id] = ids.splice(i, 1);
    ids.splice(i + by, 0, id!);
    void run(() => api('PUT', '/me/contacts/order', { ids }));
  };
  const list = contacts ?? [];
  return html`
    <div class="admin my-contacts">
      <section class="card">
        <h1 class="card-title">${mx('title')}</h1>
        <p class="muted small">${mx('intro')}</p>
        <form class="inline" onSubmit=${add} data-testid="add-contact">
          <label>${t('type')}<select name="channel" value=${channel} onChange=${(e: Event) => setChannel((e.target as HTMLSelectElement).value)}>
            ${ADDABLE.map((c) => html`<option value=${c}>${contactChannelName(c)}</option>`)}
          </select></label>
          ${channel !== 'telegram' &&
          html`<label>${channel === 'email' ? t('email') : mx('number')}<input name="address" required type=${channel === 'email' ? 'email' : 'tel'} value=${address} onInput=${(e: Event) => setAddress((e.target as HTMLInputElement).value)} /></label>`}
          <button type="submit">${mx('add')}</button>
        </form>
        <${Message} error=${error} />
        ${contacts?.length === 0 && html`<p class="muted">${mx('none')}</p>`}
        <ol class="contacts">
          ${list.map(
            (c, i) => html`<li class="contact" data-contact=${c.id} data-channel=${c.channel}>
              <div class="row wrap">
                <strong>${i + 1}. ${contactChannelName(c.channel)}</strong> <span>${c.address ?? ''}</span>
                <span class=${`chip ${c.verified ? 'ns-delivered' : 'ns-queued'}`} data-testid="contact-state">${c.verified ? mx('verified') : c.channel === 'telegram' ? mx('telegramPending') : mx('unverified')}</span>
                ${c.verifiedAt && html`<span class="muted small">${formatTime(c.verifiedAt)}</span>`}
                <span class="spacer"></span>
                <button class="ghost" disabled=${i === 0} aria-label=${`${mx('up')} ${contactChannelName(c.channel)}`} onClick=${() => move(i, -1)}>↑</button>
                <button class="ghost" disabled=${i === list.length - 1} aria-label=${`${mx('down')} ${contactChannelName(c.channel)}`} onClick=${() => move(i, 1)}>↓</button>
                <button class="ghost danger" onClick=${() => confirm(t('confirmDelete')) && run(() => api('DELETE', `/me/contacts/${c.id}`))}>${mx('remove')}</button>
              </div>
              ${!c.verified && html`<${Pending} contact=${c} link=${links[c.id] ?? null} run=${run} remember=${remember} />`}
            </li>`,
          )}
        </ol>
      </section>
      <${QuietHours} />
    </div>
  `;
}

function Pending({ contact, link, run, remember }: { contact: Contact; link: string | null; run: (work: () => Promise<unknown>) => Promise<boolean>; remember: (c: Contact) => void }) {
  const [code, setCode] = useState('');
  const resend = () => run(async () => remember(await api<Contact>('POST', `/me/contacts/${contact.id}/resend`)));
  if (contact.channel === 'telegram')
    return html`<div class="row wrap pending">
      ${link && html`<a class="button" href=${link} target="_blank" rel="noopener">${mx('openTelegram')}</a>`}
      <span class="muted small">${mx('telegramHelp')}</span>
      <button class="ghost" onClick=${() => run(async () => {})}>${mx('refresh')}</button>
      ${!link && html`<button class="ghost" onClick=${resend}>${mx('resend')}</button>`}
    </div>`;
  return html`<form class="inline pending" onSubmit=${(e: Event) => {
    e.preventDefault();
    void run(() => api('POST', `/me/contacts/${contact.id}/verify`, { code: code.trim() }));
  }}>
    <label>${mx('code')}<input name="code" inputMode="numeric" autocomplete="one-time-code" required maxLength="12" value=${code} onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)} /></label>
    <button type="submit">${mx('verify')}</button>
    <button type="button" class="ghost" onClick=${resend}>${mx('resend')}</button>
    ${contact.codeExpiresAt && html`<span class="muted small">${mx('codeUntil')} ${formatTime(contact.codeExpiresAt)}</span>`}
  </form>`;
}


function QuietHours() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => void api<Settings>('GET', '/me/notification-settings').then(setSettings, (e: Error) => setError(e.message)), []);
  if (!settings) return html`<${Message} error=${error} />`;
  const change = (patch: Partial<Settings>) => (setSettings({ ...settings, ...patch }), setSaved(false));
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      setSettings(await api<Settings>('PUT', '/me/notification-settings', settings));
      setError(null);
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`
    <section class="card">
      <h2 class="card-title">${mx('settings')}</h2>
      <form class="inline" onSubmit=${save} data-testid="notification-settings">
        <label>${mx('messageLanguage')}<select name="language" value=${settings.language} onChange=${(e: Event) => change({ language: (e.target as HTMLSelectElement).value as Settings['language'] })}>
          <option value="id">Bahasa Indonesia</option><option value="en">English</option>
        </select></label>
        <label>${mx('quietStart')}<input name="quietStart" type="time" value=${settings.quietStart ?? ''} onInput=${(e: Event) => change({ quietStart: (e.target as HTMLInputElement).value || null })} /></label>
        <label>${mx('quietEnd')}<input name="quietEnd" type="time" value=${settings.quietEnd ?? ''} onInput=${(e: Event) => change({ quietEnd: (e.target as HTMLInputElement).value || null })} /></label>
        <button type="submit">${t('save')}</button>${saved && html`<span class="ok" role="status">${t('saved')}</span>`}
      </form>
      <p class="muted small">${mx('quietNote')}</p>
      <${Message} error=${error} />
    </section>
  `;
}
