/**
 * Notifikasi → Kanal: each channel's settings (credentials never shown, left
 * empty they keep the stored ones), on/off, a test message whose state follows
 * as it changes, and the callback addresses to give Telegram and Meta.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { getLang, t, texts } from '../i18n.js';
import { CopyButton, Message } from './admin-common.js';
import { fieldsOf, fromForm, fx, toForm, type Field, type FormValues } from './notify-channel-fields.js';
import { channelName, CHANNELS, nx, StateChip, Times, type Notification } from './notify-common.js';
import type { ChannelView } from '../../../src/modules/notifications/notifications.contract.js';

const kx = texts({
  enabled: ['Aktif', 'Enabled'],
  off: ['Nonaktif', 'Off'],
  notConfigured: ['Belum diatur', 'Not set up'],
  testTitle: ['Kirim uji', 'Send a test'],
  testTo: ['Kirim ke', 'Send to'],
  testSend: ['Kirim uji', 'Send test'],
  callback: ['Alamat callback', 'Callback address'],
  telegramCallback: ['Tempel alamat ini sebagai url di setWebhook Telegram, bersama secret token di atas.', "Paste this address as the url of Telegram's setWebhook, with the secret token above."],
  whatsappCallback: ['Tempel alamat ini sebagai Callback URL di pengaturan webhook aplikasi Meta, dengan verify token di atas; langganan "messages".', "Paste this address as the Callback URL in the Meta app's webhook settings, with the verify token above; subscribe to \"messages\"."],
});

const TEST_HINTS: Record<string, [string, string]> = {
  email: ['alamat email', 'an email address'],
  telegram: ['chat id Telegram (angka)', 'a Telegram chat id (a number)'],
  whatsapp: ['nomor HP, mis. 0812…', 'a mobile number, e.g. 0812…'],
  sms: ['nomor HP, mis. 0812…', 'a mobile number, e.g. 0812…'],
  webhook: ['URL http(s)', 'an http(s) URL'],
};
const inLang = (pair: [string, string]) => pair[getLang() === 'id' ? 0 : 1];


export function NotificationChannels() {
  const [channels, setChannels] = useState<ChannelView[] | null>(null);
  const [regionId, setRegionId] = useState<string | null>(null);
  const [kind, setKind] = useState('email');
  const [error, setError] = useState<string | null>(null);
  const load = () => api<ChannelView[]>('GET', '/notifications/channels').then(setChannels, (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    api<{ id: string }>('GET', '/region').then((r) => setRegionId(r.id), () => {});
  }, []);
  const channel = channels?.find((c) => c.kind === kind);
  return html`
    <div class="notify-channels">
      <nav class="seg" aria-label=${nx('channelsTab')}>
        ${CHANNELS.map((k) => {
          const c = channels?.find((x) => x.kind === k);
          return html`<button class=${k === kind ? 'on' : 'ghost'} aria-pressed=${k === kind} data-kind=${k} onClick=${() => setKind(k)}>
            ${channelName(k)} <span class=${`chip ${c?.enabled ? 'ns-sent' : ''}`}>${!c?.configured ? kx('notConfigured') : c.enabled ? kx('enabled') : kx('off')}</span>
          </button>`;
        })}
      </nav>
      <${Message} error=${error} />
      ${channel && html`<${ChannelForm} key=${`${kind}:${channel.updatedAt}`} channel=${channel} regionId=${regionId} onSaved=${load} />`}
    </div>
  `;
}

function ChannelForm({ channel, regionId, onSaved }: { channel: ChannelView; regionId: string | null; onSaved: () => void }) {
  const { kind } = channel;
  const [values, setValues] = useState<FormValues>(() => toForm(kind, channel.config));
  const [enabled, setEnabled] = useState(channel.enabled);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (name: string, value: string | boolean) => {
    setValues({ ...values, [name]: value });
    setSaved(false);
  };
  const label = (f: Field) => inLang(f.label);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await api('PUT', `/notifications/channels/${kind}`, { enabled, config: fromForm(kind, values, label) });
      setError(null);
      setSaved(true);
      onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const input = (f: Field) => {
    const v = values[f.name] ?? (f.kind === 'checkbox' ? false : '');
    const onInput = (ev: Event) => set(f.name, (ev.target as HTMLInputElement).value);
    if (f.kind === 'checkbox') return html`<label class="check"><input type="checkbox" name=${f.name} checked=${v === true} onChange=${(ev: Event) => set(f.name, (ev.target as HTMLInputElement).checked)} /> ${label(f)}</label>`;
    if (f.kind === 'select') return html`<label>${label(f)}<select name=${f.name} value=${v} onChange=${onInput}>${f.options!.map(([value, names]) => html`<option value=${value}>${inLang(names)}</option>`)}</select></label>`;
    if (f.kind === 'textarea' || f.kind === 'json') return html`<label class="wide">${label(f)}<textarea name=${f.name} rows="3" value=${v} onInput=${onInput}></textarea>${f.hint && html`<span class="small">${inLang(f.hint)}</span>`}</label>`;
    const secret = f.kind === 'secret';
    const stored = secret && channel.config[f.name] === '••••';
    return html`<label>${label(f)}<input name=${f.name} type=${secret ? 'password' : f.kind === 'number' ? 'number' : 'text'} autocomplete=${secret ? 'new-password' : 'off'} value=${v} onInput=${onInput}
        placeholder=${secret ? (stored ? fx('secretSet') : fx('secretUnset')) : ''} />${f.hint && html`<span class="small">${inLang(f.hint)}</span>`}</label>`;
  };
  const callback = regionId && (kind === 'telegram' || (kind === 'whatsapp' && values.provider !== 'gateway')) ? `${location.origin}/api/v1/notifications/callbacks/${kind}/${regionId}` : null;
  return html`
    <section class="card" data-channel=${kind}>
      <h2 class="card-title">${channelName(kind)}</h2>
      <form class="cat-form" onSubmit=${save}>
        <label class="check"><input type="checkbox" name="enabled" checked=${enabled} onChange=${(ev: Event) => (setEnabled((ev.target as HTMLInputElement).checked), setSaved(false))} /> ${kx('enabled')}</label>
        ${kind === 'whatsapp' &&
        html`<label>${fx('provider')}<select name="provider" value=${values.provider} onChange=${(ev: Event) => set('provider', (ev.target as HTMLSelectElement).value)}>
          <option value="cloud">${fx('cloud')}</option><option value="gateway">${fx('localGateway')}</option>
        </select></label>`}
        <div class="fields">${fieldsOf(kind, values).map(input)}</div>
        <div class="row"><button type="submit">${t('save')}</button>${saved && html`<span class="ok" role="status">${t('saved')}</span>`}</div>
        <${Message} error=${error} />
      </form>
      ${callback &&
      html`<div class="callback">
        <h3>${kx('callback')}</h3>
        <div class="row wrap secret-row"><code data-testid="callback-url">${callback}</code><${CopyButton} text=${callback} /></div>
        <p class="muted small">${kind === 'telegram' ? kx('telegramCallback') : kx('whatsappCallback')}</p>
      </div>`}
      <${TestBox} kind=${kind} />
    </section>
  `;
}

const SETTLED = new Set(['delivered', 'read', 'failed', 'suppressed', 'cancelled']);

/** Sends a test message and follows its log entry until it settles (or two minutes pass). */
function TestBox({ kind }: { kind: string }) {
  const [to, setTo] = useState('');
  const [sent, setSent] = useState<Notification | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!sent || SETTLED.has(sent.state)) return;
    let tries = 0;
    const timer = setInterval(async () => {
      tries += 1;
      // the log has no look-up by id: the newest page holds a test just sent
      const page = await api<{ items: Notification[] }>('GET', '/notifications?limit=50').catch(() => null);
      const fresh = page?.items.find((n) => n.id === sent.id);
      if (fresh && (fresh.state !== sent.state || fresh.sentAt !== sent.sentAt)) setSent(fresh);
      if (tries >= 80) clearInterval(timer);
    }, 1500);
    return () => clearInterval(timer);
  }, [sent?.id, sent?.state]);
  const send = async (e: Event) => {
    e.preventDefault();
    try {
      setSent(await api<Notification>('POST', `/notifications/channels/${kind}/test`, { to }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`
    <form class="inline test-box" data-testid="test-box" onSubmit=${send}>
      <h3>${kx('testTitle')}</h3>
      <label>${kx('testTo')}<input name="to" required value=${to} placeholder=${inLang(TEST_HINTS[kind] ?? ['', ''])} onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">${kx('testSend')}</button>
      ${sent && html`<span data-testid="test-state"><${StateChip} n=${sent} /> <${Times} n=${sent} /></span>`}
      <${Message} error=${error} />
    </form>
  `;
}
