/**
 * "Peringatan dini" on the public site (#/peringatan), loaded only when opened:
 * subscribe to a kecamatan's early warnings on WhatsApp, SMS or email, confirm
 * with the code that arrives (or the link in it, #/peringatan/konfirmasi/…),
 * and the unsubscribe page every warning links to (#/peringatan/berhenti/…).
 * Nothing changes by opening a link: a button does it.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import type { SubscriptionDto } from '../../../src/modules/notifications/residents.contract.js';
import { RESIDENT_CHANNELS as CHANNELS } from '../../../src/modules/notifications/residents.constants.ts';
import { PublicError, request, textOf, type Msg } from './common.js';

const wx = texts({
  title: ['Peringatan dini', 'Early warnings'],
  intro: [
    'Dapatkan peringatan dini banjir dan bencana lain untuk kecamatan Anda, dikirim oleh pemerintah daerah setelah diperiksa petugas. Gratis, dan dapat dihentikan kapan saja.',
    'Get early warnings of floods and other hazards for your kecamatan, sent by the regional government after an officer checked them. Free, and you can stop them at any time.',
  ],
  district: ['Kecamatan', 'Kecamatan'],
  choose: ['— pilih kecamatan —', '— choose a kecamatan —'],
  channel: ['Dikirim lewat', 'Send by'],
  whatsapp: ['WhatsApp', 'WhatsApp'],
  sms: ['SMS', 'SMS'],
  email: ['Email', 'Email'],
  phone: ['Nomor HP', 'Mobile number'],
  emailAddress: ['Alamat email', 'Email address'],
  privacy: [
    'Nomor atau email Anda hanya dipakai untuk mengirim peringatan dini ini dan tidak pernah ditampilkan.',
    'Your number or email is used only to send these early warnings and is never shown.',
  ],
  subscribe: ['Kirim kode konfirmasi', 'Send a confirmation code'],
  needDistrict: ['Pilih kecamatan dulu.', 'Choose a kecamatan first.'],
  needAddress: ['Isi nomor HP atau email Anda.', 'Enter your mobile number or email.'],
  codeSent: ['Kode konfirmasi sudah dikirim. Masukkan kodenya di bawah (berlaku 30 menit).', 'A confirmation code was sent. Enter it below (valid for 30 minutes).'],
  already: ['Alamat ini sudah berlangganan peringatan dini untuk kecamatan ini.', 'This address already gets early warnings for this kecamatan.'],
  code: ['Kode konfirmasi', 'Confirmation code'],
  confirm: ['Konfirmasi', 'Confirm'],
  confirmed: ['Berhasil! Anda akan menerima peringatan dini untuk Kec. {k}. Setiap pesan memuat tautan untuk berhenti berlangganan.', 'Done! You will get early warnings for {k}. Every message has a link to unsubscribe.'],
  confirmLink: ['Tekan tombol untuk mengonfirmasi langganan peringatan dini Anda.', 'Press the button to confirm your early-warning subscription.'],
  wrongCode: ['Kode tidak cocok atau sudah kedaluwarsa.', 'The code does not match or has expired.'],
  tooManyPending: ['Terlalu banyak langganan yang belum dikonfirmasi untuk alamat ini. Konfirmasi dulu, atau coba lagi nanti.', 'Too many subscriptions of this address wait for confirmation. Confirm them first, or try again later.'],
  unsubscribeTitle: ['Berhenti berlangganan', 'Unsubscribe'],
  unsubscribeAsk: ['Berhenti menerima peringatan dini untuk Kec. {k}?', 'Stop getting early warnings for {k}?'],
  unsubscribe: ['Berhenti berlangganan', 'Unsubscribe'],
  unsubscribed: ['Anda tidak akan menerima peringatan dini lagi untuk Kec. {k}. Anda dapat berlangganan lagi kapan saja.', 'You will get no more early warnings for {k}. You may subscribe again at any time.'],
  badLink: ['Tautan ini tidak dikenal.', 'This link is not known.'],
  back: ['Berlangganan kecamatan lain', 'Subscribe to another kecamatan'],
});

const fill = (text: string, k: string) => text.replace('{k}', k);

/** A server's 4xx worded for residents: the rule it broke, in their language. */
function problem(e: unknown): Msg {
  if (e instanceof PublicError && e.status === 429 && /pending|waiting/i.test(e.detail ?? '')) return () => wx('tooManyPending');
  if (e instanceof PublicError && e.status === 400 && e.detail) return () => `${textOf(e)()}: ${e.detail}`;
  if (e instanceof PublicError && e.status === 404) return () => wx('badLink');
  return textOf(e);
}

export function WarningsPage({ route }: { route: string }) {
  const parts = route.split('/').filter(Boolean); // peringatan, konfirmasi|berhenti, …
  if (parts[1] === 'berhenti' && parts[2]) return html`<${Unsubscribe} token=${parts[2]} />`;
  if (parts[1] === 'konfirmasi' && parts[2]) return html`<${Subscribe} confirmId=${parts[2]} confirmCode=${parts[3] ?? ''} />`;
  return html`<${Subscribe} confirmId=${null} confirmCode="" />`;
}

function Subscribe({ confirmId, confirmCode }: { confirmId: string | null; confirmCode: string }) {
  const [districts, setDistricts] = useState<{ code: string; name: string }[] | null>(null);
  const [district, setDistrict] = useState('');
  const [channel, setChannel] = useState<'whatsapp' | 'sms' | 'email'>('whatsapp');
  const [address, setAddress] = useState('');
  const [pending, setPending] = useState<SubscriptionDto | null>(confirmId ? { id: confirmId, districtCode: '', districtName: '', channel: 'email', state: 'pending' } : null);
  const [code, setCode] = useState(confirmCode);
  const [done, setDone] = useState<SubscriptionDto | null>(null);
  const [note, setNote] = useState<Msg | null>(null);
  const [error, setError] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    request<{ code: string; name: string }[]>('/api/v1/public/warnings/districts').then(setDistricts, (e) => setError(() => textOf(e)));
  }, []);

  const subscribe = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!district) return setError(() => () => wx('needDistrict'));
    if (!address.trim()) return setError(() => () => wx('needAddress'));
    setBusy(true);
    try {
      const sub = await request<SubscriptionDto>('/api/v1/public/warnings/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ districtCode: district, channel, address: address.trim(), language: getLang() }),
      });
      if (sub.state === 'confirmed') {
        setDone(sub);
        setNote(() => () => wx('already'));
      } else {
        setPending(sub);
        setNote(() => () => wx('codeSent'));
      }
    } catch (err) {
      setError(() => problem(err));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (e: Event) => {
    e.preventDefault();
    if (!pending) return;
    setError(null);
    setBusy(true);
    try {
      setDone(await request<SubscriptionDto>(`/api/v1/public/warnings/subscriptions/${encodeURIComponent(pending.id)}/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.trim() }) }));
      setNote(null);
    } catch (err) {
      setError(() => (err instanceof PublicError && err.status === 400 ? () => wx('wrongCode') : problem(err)));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return html`<section class="card warn-done" aria-live="polite" data-testid="subscribed">
      <h1>✓ ${wx('title')}</h1>
      ${note && html`<p>${note()}</p>`}
      <p>${fill(wx('confirmed'), done.districtName)}</p>
      <a class="button" href="#/peringatan" onClick=${() => location.reload()}>${wx('back')}</a>
    </section>`;

  return html`<section class="warnings-page">
    <h1>${wx('title')}</h1>
    <p class="intro">${wx('intro')}</p>
    ${!confirmId &&
    html`<form class="card" onSubmit=${subscribe} novalidate data-testid="subscribe-form">
      <label>${wx('district')}<select name="district" value=${district} onChange=${(e: Event) => setDistrict((e.target as HTMLSelectElement).value)}>
        <option value="">${wx('choose')}</option>
        ${districts?.map((d) => html`<option value=${d.code}>${d.name}</option>`)}
      </select></label>
      <fieldset class="channels"><legend>${wx('channel')}</legend>
        ${CHANNELS.map((c) => html`<label class="check"><input type="radio" name="channel" value=${c} checked=${channel === c} onChange=${() => setChannel(c)} /> ${wx(c)}</label>`)}
      </fieldset>
      <label>${channel === 'email' ? wx('emailAddress') : wx('phone')}<input name="address" type=${channel === 'email' ? 'email' : 'tel'} autocomplete=${channel === 'email' ? 'email' : 'tel'} maxLength=${254} value=${address} onInput=${(e: Event) => setAddress((e.target as HTMLInputElement).value)} /></label>
      <p class="privacy">${wx('privacy')}</p>
      <button type="submit" disabled=${busy}>${wx('subscribe')}</button>
    </form>`}
    ${note && html`<div class="msg ok" role="status">${note()}</div>`}
    ${pending &&
    html`<form class="card" onSubmit=${confirm} data-testid="confirm-form">
      ${confirmId && html`<p>${wx('confirmLink')}</p>`}
      <label>${wx('code')}<input name="code" inputMode="numeric" autocomplete="one-time-code" maxLength=${12} value=${code} onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" disabled=${busy}>${wx('confirm')}</button>
    </form>`}
    ${error && html`<div class="msg err" role="alert" data-testid="warn-error">${error()}</div>`}
  </section>`;
}

function Unsubscribe({ token }: { token: string }) {
  const [sub, setSub] = useState<SubscriptionDto | null>(null);
  const [error, setError] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/v1/public/warnings/unsubscribe/${encodeURIComponent(token)}`;
  useEffect(() => {
    request<SubscriptionDto>(url).then(setSub, (e) => setError(() => problem(e)));
  }, [token]);
  const go = async () => {
    setBusy(true);
    try {
      setSub(await request<SubscriptionDto>(url, { method: 'POST' }));
    } catch (e) {
      setError(() => problem(e));
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card warnings-page" data-testid="unsubscribe">
    <h1>${wx('unsubscribeTitle')}</h1>
    ${error && html`<div class="msg err" role="alert">${error()}</div>`}
    ${sub && sub.state !== 'unsubscribed' && html`<p>${fill(wx('unsubscribeAsk'), sub.districtName)}</p><button type="button" class="danger" disabled=${busy} onClick=${go}>${wx('unsubscribe')}</button>`}
    ${sub && sub.state === 'unsubscribed' && html`<p class="ok" role="status">${fill(wx('unsubscribed'), sub.districtName)}</p><a class="button" href="#/peringatan">${wx('back')}</a>`}
  </section>`;
}
