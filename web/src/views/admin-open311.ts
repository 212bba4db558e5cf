/** Open311 API keys (admin): the endpoint to hand to an app developer, issuing a key (shown once), revoking one. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatTime, texts } from '../i18n.js';
import { CopyButton, fill, Message, useForm, useList } from './admin-common.js';
/** GET /api/v1/open311/keys (the key itself is never listed, only its first characters): the server's own type. */
import type { ApiKey, CreatedApiKey } from '../../../src/modules/reports/reports.contract.ts';

export const kx = texts({
  tab: ['Open311 & kunci API', 'Open311 & API keys'],
  endpoint: ['Alamat Open311 (GeoReport v2)', 'Open311 endpoint (GeoReport v2)'],
  endpointHint: [
    'Berikan alamat ini dan sebuah kunci API kepada pengembang aplikasi. Laporan dari aplikasi menjadi kejadian di kotak masuk kejadian dan diteruskan ke OPD menurut kategorinya.',
    'Give this address and an API key to an app developer. Reports from the app land in the incident inbox and are routed to an OPD by their category.',
  ],
  endpointHow: ['Kirim laporan: POST {base}/requests.json dengan kolom', 'File a report: POST {base}/requests.json with the fields'],
  keyName: ['Nama aplikasi / pemegang kunci', 'App or key holder'],
  issue: ['Buat kunci', 'Issue key'],
  newKey: ['Kunci API baru', 'New API key'],
  once: ['Simpan sekarang, tidak akan ditampilkan lagi.', 'Save it now, it will not be shown again.'],
  onceHint: ['Yang tersimpan di server hanya sidik kuncinya. Jika hilang, cabut kunci ini dan buat yang baru.', 'The server keeps only a fingerprint of it. If it is lost, revoke this key and issue a new one.'],
  done: ['Sudah saya simpan', 'I have saved it'],
  holder: ['Nama', 'Name'],
  kind: ['Jenis', 'Kind'],
  prefix: ['Awalan', 'Starts with'],
  created: ['Dibuat', 'Issued'],
  lastUsed: ['Terakhir dipakai', 'Last used'],
  state: ['Status', 'Status'],
  publicKind: ['Halaman publik /lapor', 'Public page /lapor'],
  appKind: ['Aplikasi', 'App'],
  publicNote: ['Dipakai formulir laporan warga — jangan dicabut', 'Used by the residents\' report form — do not revoke'],
  active: ['Aktif', 'Active'],
  revokedAt: ['Dicabut', 'Revoked'],
  revoke: ['Cabut', 'Revoke'],
  confirmRevoke: ['Cabut kunci "{name}"? Aplikasi yang memakainya tidak dapat mengirim laporan lagi; laporan yang sudah masuk tetap ada. Tidak dapat dibatalkan.', 'Revoke the key "{name}"? Apps using it can no longer file reports; reports already filed stay. This cannot be undone.'],
  confirmRevokePublic: [
    'Ini kunci HALAMAN PUBLIK /lapor, bukan kunci aplikasi. Jika dicabut, warga yang sedang membuka formulir gagal mengirim laporan sampai halamannya dimuat ulang (server lalu membuat kunci baru). Tetap cabut?',
    'This is the PUBLIC PAGE\'s key (/lapor), not an app\'s key. If revoked, residents with the form open cannot send their report until they reload the page (the server then makes a new key). Revoke anyway?',
  ],
  revoked: ['Kunci dicabut.', 'Key revoked.'],
  none: ['Belum ada kunci.', 'No keys yet.'],
});

export function Open311Keys() {
  const [keys, reload, loadError] = useList<ApiKey>('/open311/keys', false);
  const form = useForm({ name: '' });
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const base = `${location.origin}/open311/v2`;
  const discovery = `${base}/discovery.json`;

  const issue = async (e: Event) => {
    e.preventDefault();
    try {
      const created = await api<CreatedApiKey>('POST', '/open311/keys', { name: form.values.name.trim() });
      setIssued({ name: created.name, key: created.key });
      form.reset();
      setError(null);
      setOk(null);
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (k: ApiKey) => {
    if (!confirm(fill(k.kind === 'public' ? kx('confirmRevokePublic') : kx('confirmRevoke'), { name: k.name }))) return;
    try {
      await api('DELETE', `/open311/keys/${encodeURIComponent(k.id)}`);
      setError(null);
      setOk(kx('revoked'));
      reload();
    } catch (err) {
      setOk(null);
      setError((err as Error).message);
    }
  };
  // Active keys first, the public page's own on top; revoked ones after, newest first.
  const rank = (k: ApiKey) => (k.revokedAt !== null ? 2 : k.kind === 'public' ? 0 : 1);
  const sorted = [...(keys ?? [])].sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt);

  return html`
    <section class="card" data-testid="open311-endpoint">
      <h2 class="card-title">${kx('endpoint')}</h2>
      <div class="row wrap"><code class="endpoint" data-testid="discovery-url">${discovery}</code><${CopyButton} text=${discovery} /></div>
      <p class="muted small">${kx('endpointHint')}</p>
      <p class="muted small">${fill(kx('endpointHow'), { base })} <code translate=${false}>api_key, service_code, lat, long, description</code>.</p>
    </section>
    <section class="card">
      <form class="inline" onSubmit=${issue}>
        ${form.field('name', kx('keyName'), { required: true, maxLength: 200 })}
        <button type="submit">${kx('issue')}</button>
      </form>
      <${Message} error=${error ?? loadError} />
      ${ok && html`<p class="ok" role="status">${ok}</p>`}
      ${issued &&
      html`<div class="token" role="dialog" aria-label=${kx('newKey')}>
        <p><strong>${kx('newKey')}: ${issued.name}</strong></p>
        <p class="once">${kx('once')}</p>
        <div class="row wrap secret-row"><code data-testid="api-key">${issued.key}</code><${CopyButton} text=${issued.key} /></div>
        <p class="small">${kx('onceHint')}</p>
        <button class="ghost" onClick=${() => setIssued(null)}>${kx('done')}</button>
      </div>`}
      <div class="table-wrap flat">
        <table class="keys-table">
          <thead><tr><th>${kx('holder')}</th><th>${kx('kind')}</th><th>${kx('prefix')}</th><th>${kx('created')}</th><th>${kx('lastUsed')}</th><th>${kx('state')}</th><th></th></tr></thead>
          <tbody>
            ${sorted.map(
              (k) => html`<tr data-key=${k.id} data-kind=${k.kind} class=${k.revokedAt !== null ? 'off' : ''}>
                <td>${k.name}${k.kind === 'public' && k.revokedAt === null && html`<div class="warn small">${kx('publicNote')}</div>`}</td>
                <td>${k.kind === 'public' ? html`<span class="tag pub">${kx('publicKind')}</span>` : kx('appKind')}</td>
                <td><code translate=${false}>${k.prefix}…</code></td>
                <td>${formatTime(k.createdAt)}</td>
                <td>${formatTime(k.lastUsedAt)}</td>
                <td>${k.revokedAt === null ? kx('active') : `${kx('revokedAt')} ${formatTime(k.revokedAt)}`}</td>
                <td>${k.revokedAt === null && html`<button class="ghost danger" onClick=${() => revoke(k)}>${kx('revoke')}</button>`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${keys?.length === 0 && !loadError && html`<p class="muted">${kx('none')}</p>`}
      </div>
    </section>
  `;
}
