import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { html } from '../html.js';
import { formatTime, t, texts } from '../i18n.js';
import { AuditLog, ux } from './admin-audit.js';
import { Categories, gx } from './admin-categories.js';
import { Message, useForm, useList } from './admin-common.js';
import { Lapor, lx } from './admin-lapor.js';
import { DeviceImport, Profiles, px } from './admin-profiles.js';
import { Rules } from './admin-rules.js';
import { Users } from './admin-users.js';
import { kx, Open311Keys } from './admin-open311.js';
import { dx } from './duty-common.js';
import { EscalationPolicies } from './duty-policies.js';
import { NotificationsAdmin } from './notify-admin.js';
import { nx } from './notify-common.js';
import { DutyRoster } from './duty-roster.js';
import { assetTypeLabel, typeLabel, useProfiles } from '../profiles.js';
import { formatCoordinates } from '../format.js';
import { ASSET_TYPES } from '../../../src/modules/assets/asset-types.ts';
import { getLang } from '../i18n.js';
import { isAdmin, mayChange, mayCreate, useMe } from '../me.js';

const ax = texts({
  adminsOnly: ['Halaman ini hanya untuk admin.', 'This page is for admins only.'],
  longitude: ['Bujur', 'Longitude'],
  latitude: ['Lintang', 'Latitude'],
  location: ['Lokasi', 'Location'],
  district: ['Kecamatan', 'District (kecamatan)'],
});

/** The tabs; `adminOnly` ones are hidden from operators and viewers (the API refuses them anyway). */
const TABS = [
  { path: '/admin', label: () => t('devices'), view: Devices },
  { path: '/admin/profiles', label: () => px('tab'), view: Profiles, adminOnly: true },
  { path: '/admin/assets', label: () => t('assets'), view: Assets },
  { path: '/admin/rules', label: () => t('rules'), view: Rules },
  { path: '/admin/opds', label: () => t('opds'), view: Opds },
  { path: '/admin/users', label: () => t('users'), view: Users },
  { path: '/admin/duty', label: () => dx('rosterTab'), view: DutyRoster },
  { path: '/admin/escalation', label: () => dx('policyTab'), view: EscalationPolicies },
  { path: '/admin/categories', label: () => gx('tab'), view: Categories, adminOnly: true },
  { path: '/admin/open311', label: () => kx('tab'), view: Open311Keys, adminOnly: true },
  { path: '/admin/lapor', label: () => lx('tab'), view: Lapor, adminOnly: true },
  { path: '/admin/notifications', label: () => nx('tab'), view: NotificationsAdmin, adminOnly: true, hasParts: true },
  { path: '/admin/audit', label: () => ux('tab'), view: AuditLog, adminOnly: true },
];

export function AdminView({ route }: { route: string }) {
  const [role, setRole] = useState<string | null>(null);
  useEffect(() => {
    // only the role is needed: one request, not the incident screens' four look-ups
    api<{ role: string }>('GET', '/auth/me').then(
      (me) => setRole(me.role),
      () => setRole(null),
    );
  }, []);
  const tabs = TABS.filter((x) => !x.adminOnly || role === 'admin');
  // a tab with parts owns the addresses under its own (#/admin/notifications/log)
  const tab = TABS.find((x) => x.path === route || (x.hasParts && route.startsWith(`${x.path}/`))) ?? TABS[0]!;
  const View = tab.view;
  return html`
    <div class="admin">
      <nav class="tabs" aria-label=${t('admin')}>
        ${tabs.map((x) => html`<a href=${`#${x.path}`} class=${x === tab ? 'active' : ''}>${x.label()}</a>`)}
      </nav>
      ${tab.adminOnly && role !== 'admin' ? role !== null && html`<p class="card muted">${ax('adminsOnly')}</p>` : html`<${View} route=${route} />`}
    </div>
  `;
}

function Opds() {
  const me = useMe();
  const [opds, reload] = useList<{ id: string; code: string; name: string }>('/opds', false);
  const form = useForm({ code: '', name: '' });
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/opds', form.values);
      form.reset();
      setError(null);
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`
    <section class="card">
      ${isAdmin(me) && html`<form class="inline" onSubmit=${submit}>${form.field('code', t('code'), { required: true })} ${form.field('name', t('name'), { required: true })}<button type="submit">${t('create')}</button></form>`}
      <${Message} error=${error} />
      <table>
        <thead><tr><th>${t('code')}</th><th>${t('name')}</th></tr></thead>
        <tbody>${(opds ?? []).map((o) => html`<tr><td>${o.code}</td><td>${o.name}</td></tr>`)}</tbody>
      </table>
    </section>
  `;
}

function Assets() {
  const me = useMe();
  const profiles = useProfiles();
  const [assets, reload] = useList<{ id: string; type: string; name: string; location: { lon: number; lat: number } | null; districtCode: string | null }>('/assets');
  // The kecamatan by name, never by its code.
  const [districts] = useList<{ code: string; name: string }>('/region/districts', false);
  const districtName = (code: string | null) => (code === null ? '—' : (districts ?? []).find((d) => d.code === code)?.name ?? code);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const form = useForm({ type: 'river_gauge', name: '', lon: '', lat: '' });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      // A decimal comma (103,05) is how an Indonesian keyboard user types it.
      const coordinate = (v: string) => Number(v.trim().replace(',', '.'));
      const geometry = form.values.lon && form.values.lat ? { type: 'Point', coordinates: [coordinate(form.values.lon), coordinate(form.values.lat)] } : undefined;
      await api('POST', '/assets', { type: form.values.type, name: form.values.name, ...(geometry && { geometry }) });
      form.reset();
      setError(null);
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const importCsv = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const res = await api<{ created: number }>('POST', '/assets/import', await file.text(), 'text/csv');
      setReport(`${res.created} ${t('importDone')}`);
      setError(null);
      reload();
    } catch (err) {
      const body = (err as ApiError).body as { errors?: { row: number; message: string }[] } | undefined;
      setReport(null);
      setError(body?.errors ? `${t('importFailed')} ${body.errors.slice(0, 10).map((x) => `#${x.row}: ${x.message}`).join(' | ')}` : (err as Error).message);
    }
    (e.target as HTMLInputElement).value = '';
  };
  return html`
    <section class="card">
      ${mayCreate(me) &&
      html`<form class="inline" onSubmit=${submit}>
          ${form.field('type', t('type'), { required: true, pattern: '[a-z][a-z0-9_]*', list: 'asset-types' })} ${form.field('name', t('name'), { required: true })}
          <datalist id="asset-types">${ASSET_TYPES.map((x) => html`<option value=${x.type}>${assetTypeLabel(x.type)}</option>`)}</datalist>
          ${form.field('lon', ax('longitude'), { inputMode: 'decimal' })} ${form.field('lat', ax('latitude'), { inputMode: 'decimal' })}
          <button type="submit">${t('create')}</button>
          <label class="file">${t('importCsv')}<input type="file" accept=".csv,text/csv" onChange=${importCsv} /></label>
        </form>
        <p class="muted small">CSV: <code translate=${false}>type,name,longitude,latitude,opd,district</code></p>`}
      <${Message} error=${error} />${report && html`<p class="ok" role="status">${report}</p>`}
      <table>
        <thead><tr><th>${t('type')}</th><th>${t('name')}</th><th>${ax('location')}</th><th>${ax('district')}</th></tr></thead>
        <tbody>${(assets ?? []).slice(0, 500).map((a) => html`<tr><td title=${a.type}>${assetTypeLabel(a.type)}</td><td>${a.name}</td><td>${a.location ? formatCoordinates(a.location.lon, a.location.lat, getLang(), 4) : '—'}</td><td>${districtName(a.districtCode)}</td></tr>`)}</tbody>
      </table>
    </section>
  `;
}

function Devices() {
  const me = useMe();
  const [devices, reload] = useList<{ id: string; name: string; type: string; opdId: string | null; hasToken: boolean; tokenHint: string | null; online: boolean | null; lastActivityAt: number | null; isGateway: boolean; gatewayId: string | null }>('/devices');
  const [token, setToken] = useState<{ name: string; value: string } | null>(null);
  const [isGateway, setIsGateway] = useState(false);
  const nameOf = (id: string) => (devices ?? []).find((d) => d.id === id)?.name ?? id;
  // The type by its profile's name (*Pos duga air*), its key as a hint; a type without a profile shows its key.
  const profiles = useProfiles();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ name: '', type: 'default' });
  const run = async (work: () => Promise<void>) => {
    try {
      await work();
      setError(null);
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const created = await api<{ name: string; accessToken: string }>('POST', '/devices', { ...form.values, isGateway });
      setToken({ name: created.name, value: created.accessToken });
      form.reset();
      setIsGateway(false);
    });
  };
  return html`
    <section class="card">
      ${mayCreate(me) &&
      html`<form class="inline" onSubmit=${submit}>${form.field('name', t('deviceName'), { required: true })} ${form.field('type', t('type'), { list: 'device-types' })}
        <datalist id="device-types">${[...profiles.values()].map((x) => html`<option value=${x.type}>${typeLabel(x.type)}</option>`)}</datalist>
        <label class="check"><input type="checkbox" name="isGateway" checked=${isGateway} onChange=${(e: Event) => setIsGateway((e.target as HTMLInputElement).checked)} /> ${t('isGateway')}</label>
        <button type="submit">${t('create')}</button></form>`}
      <${Message} error=${error} />
      ${token &&
      html`<div class="token" role="dialog" aria-label=${t('tokenOnce')}>
        <p><strong>${token.name}</strong> — ${t('tokenOnce')}</p>
        <code data-testid="token">${token.value}</code>
        <button class="ghost" onClick=${() => setToken(null)}>${t('close')}</button>
      </div>`}
      <table>
        <thead><tr><th>${t('name')}</th><th>${t('type')}</th><th>${t('status')}</th><th>${t('lastActivity')}</th><th>${t('tokenHint')}</th><th></th></tr></thead>
        <tbody>
          ${(devices ?? []).map(
            (d) => html`<tr data-device=${d.id}>
              <td>${d.name}${d.isGateway ? html` <span class="badge">${t('gatewayBadge')}</span>` : ''}${d.gatewayId ? html`<br /><small>${t('behindGateway')} ${nameOf(d.gatewayId)}</small>` : ''}</td><td title=${d.type}>${typeLabel(d.type)}</td><td>${d.online === null ? t('never') : d.online ? t('online') : t('offline')}</td>
              <td>${formatTime(d.lastActivityAt)}</td><td>${d.hasToken ? html`<code translate=${false}>…${d.tokenHint}</code>` : '—'}</td>
              <td class="row">
                ${mayChange(me, d.opdId) && html`${!d.gatewayId && html`<button class="ghost" onClick=${() => run(async () => setToken({ name: d.name, value: (await api<{ accessToken: string }>('POST', `/devices/${d.id}/token`)).accessToken }))}>${t('regenerate')}</button>`}
                ${d.hasToken && html`<button class="ghost" onClick=${() => run(() => api('DELETE', `/devices/${d.id}/token`))}>${t('revoke')}</button>`}
                <button class="ghost danger" onClick=${() => confirm(t('confirmDelete')) && run(() => api('DELETE', `/devices/${d.id}`))}>${t('delete')}</button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${mayCreate(me) && html`<${DeviceImport} onImported=${reload} />`}
  `;
}
