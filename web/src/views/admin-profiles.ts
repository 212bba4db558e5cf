/**
 * Device profiles (admin): per device type the keys it sends with their labels
 * in both languages, unit, decimals and expected range; the commands it
 * accepts; its offline timeout; its provisioning key and secret (the secret
 * shown once). And the device CSV import, which hands the new tokens back once,
 * as a file.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, session } from '../api.js';
import { html } from '../html.js';
import { getLang, t, texts } from '../i18n.js';
import type { DeviceProfile, ImportPreview, ProfileBody, ProfileCommand, ProfileKey, ProfileWithSecret } from '../../../src/modules/devices/profiles.contract.js';
import { CopyButton, fill, Message, useList } from './admin-common.js';

export const px = texts({
  tab: ['Profil perangkat', 'Device profiles'],
  importTitle: ['Impor perangkat dari CSV', 'Import devices from CSV'],
  intro: [
    'Satu profil untuk setiap jenis perangkat: nama data yang dikirimnya dalam dua bahasa, satuan, jumlah desimal dan rentang wajar; perintah yang diterimanya; kapan dianggap luring; dan kunci provisioning untuk perangkat baru.',
    'One profile per device type: the data it sends named in both languages, unit, decimals and expected range; the commands it accepts; when it counts as offline; and the provisioning key for new devices.',
  ],
  type: ['Jenis perangkat', 'Device type'],
  nameId: ['Nama (Indonesia)', 'Name (Indonesian)'],
  nameEn: ['Nama (Inggris)', 'Name (English)'],
  keys: ['Data', 'Data keys'],
  commands: ['Perintah', 'Commands'],
  offline: ['Luring setelah (detik)', 'Offline after (seconds)'],
  offlineHint: ['Kosong: bawaan wilayah', 'Empty: the region\'s default'],
  regionDefault: ['bawaan wilayah', 'region default'],
  provisioning: ['Provisioning', 'Provisioning'],
  provOn: ['aktif', 'on'],
  provOff: ['mati', 'off'],
  provOpd: ['OPD pemilik perangkat baru', 'OPD owning new devices'],
  newProfile: ['Profil baru', 'New profile'],
  edit: ['Ubah', 'Edit'],
  cancel: ['Batal', 'Cancel'],
  key: ['Kunci', 'Key'],
  labelId: ['Label (Indonesia)', 'Label (Indonesian)'],
  labelEn: ['Label (Inggris)', 'Label (English)'],
  unit: ['Satuan', 'Unit'],
  decimals: ['Desimal', 'Decimals'],
  min: ['Min', 'Min'],
  max: ['Maks', 'Max'],
  addKey: ['Tambah data', 'Add key'],
  method: ['Metode', 'Method'],
  params: ['Parameter (JSON)', 'Params (JSON)'],
  step: ['Langkah', 'Step'],
  addCommand: ['Tambah perintah', 'Add command'],
  commandHint: ['Parameter tetap membuat tombol (setPower {"on":true}); min/maks/langkah membuat isian tingkat (redup 0–100 %).', 'Fixed params make a button (setPower {"on":true}); min/max/step make a level to set (dimming 0–100 %).'],
  remove: ['Buang', 'Remove'],
  saved: ['Profil tersimpan.', 'Profile saved.'],
  issue: ['Terbitkan kunci & rahasia baru', 'Issue new key & secret'],
  confirmIssue: ['Terbitkan pasangan baru? Pasangan lama langsung tidak berlaku.', 'Issue a new pair? The old pair stops working at once.'],
  turnOff: ['Matikan provisioning', 'Turn provisioning off'],
  secretTitle: ['Kunci provisioning', 'Provisioning credentials'],
  once: ['Simpan rahasia sekarang, tidak akan ditampilkan lagi.', 'Save the secret now, it will not be shown again.'],
  secretHint: ['Tulis ke firmware sebagai provisionDeviceKey dan provisionDeviceSecret (POST /api/v1/provision atau MQTT /provision/request).', 'Put them in the firmware as provisionDeviceKey and provisionDeviceSecret (POST /api/v1/provision or MQTT /provision/request).'],
  keyLabel: ['Kunci', 'Key'],
  secretLabel: ['Rahasia', 'Secret'],
  done: ['Sudah saya simpan', 'I have saved it'],
  none: ['Belum ada profil.', 'No profiles yet.'],
  badNumber: ['{field}: bukan angka', '{field}: not a number'],
  badJson: ['Parameter perintah {method} bukan JSON yang sah', 'The params of command {method} are not valid JSON'],
  // import
  importIntro: [
    'Berkas CSV dengan baris pertama nama kolom: name, type, label, asset (id atau nama aset), opd (kode OPD). Periksa dulu; jika semua baris baik, impor membuat perangkatnya dan mengunduh berkas berisi token akses mereka. Token hanya diberikan sekali ini.',
    'A CSV file whose first line names the columns: name, type, label, asset (an asset\'s id or name), opd (an OPD code). Check it first; when every line is good, importing creates the devices and downloads a file of their access tokens. The tokens are given this once only.',
  ],
  file: ['Berkas CSV', 'CSV file'],
  check: ['Periksa', 'Check'],
  doImport: ['Impor & unduh token', 'Import & download tokens'],
  checking: ['Memeriksa …', 'Checking …'],
  importing: ['Mengimpor …', 'Importing …'],
  preview: ['{ok} perangkat siap diimpor, {bad} baris bermasalah.', '{ok} devices ready to import, {bad} lines with problems.'],
  imported: ['{n} perangkat dibuat. Berkas token sudah diunduh — simpan baik-baik, token tidak dapat diambil lagi.', '{n} devices created. The tokens file has been downloaded — keep it safe, the tokens cannot be retrieved again.'],
  line: ['Baris', 'Line'],
  problem: ['Masalah', 'Problem'],
  fixFirst: ['Perbaiki baris bermasalah dulu; tidak ada yang dibuat.', 'Fix the lines with problems first; nothing was created.'],
  csvInvalid: [
    'Berkas ini bukan CSV perangkat: baris pertama harus menamai kolom (minimal name) dan setelahnya satu perangkat per baris.',
    'This file is not a device CSV: its first line must name the columns (at least name), then one device per line.',
  ],
  csvTooLarge: ['Berkas terlalu besar: paling besar 2 MB, 5.000 perangkat, 20 kolom.', 'The file is too large: 2 MB, 5,000 devices, 20 columns at most.'],
});

/** A whole-file refusal of the import in the reader's language; other errors as the API words them. */
function importErrorText(code: string | undefined, message: string): string {
  if (code === 'CSV_INVALID') return px('csvInvalid');
  if (code === 'UPLOAD_TOO_LARGE' || code === 'IMPORT_LIMIT_EXCEEDED') return px('csvTooLarge');
  return message;
}

/** The editor's copy of a profile: numbers as the text typed. */
interface Draft {
  id: string | null;
  type: string;
  nameId: string;
  nameEn: string;
  offline: string;
  provisionOpdId: string;
  keys: { key: string; labelId: string; labelEn: string; unit: string; decimals: string; min: string; max: string }[];
  commands: { method: string; labelId: string; labelEn: string; params: string; min: string; max: string; step: string; unit: string }[];
}

const emptyDraft = (): Draft => ({ id: null, type: '', nameId: '', nameEn: '', offline: '', provisionOpdId: '', keys: [], commands: [] });
const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function toDraft(p: DeviceProfile): Draft {
  return {
    id: p.id,
    type: p.type,
    nameId: p.name.id,
    nameEn: p.name.en,
    offline: text(p.offlineTimeoutSeconds),
    provisionOpdId: p.provisionOpdId ?? '',
    keys: p.keys.map((k) => ({ key: k.key, labelId: k.label.id, labelEn: k.label.en, unit: k.unit ?? '', decimals: String(k.decimals), min: text(k.min), max: text(k.max) })),
    commands: p.commands.map((c) => ({
      method: c.method,
      labelId: c.label.id,
      labelEn: c.label.en,
      params: c.params === undefined ? '' : JSON.stringify(c.params),
      min: text(c.input?.min),
      max: text(c.input?.max),
      step: text(c.input?.step),
      unit: c.input?.unit ?? '',
    })),
  };
}

/** The body of POST/PUT from the draft; throws a message for a field that is not a number or not JSON. */
function toBody(d: Draft): ProfileBody {
  const num = (v: string, field: string): number | null => {
    if (v.trim() === '') return null;
    const n = Number(v.replace(',', '.'));
    if (!Number.isFinite(n)) throw new Error(fill(px('badNumber'), { field }));
    return n;
  };
  const keys: ProfileKey[] = d.keys.map((k) => ({
    key: k.key.trim(),
    label: { id: k.labelId.trim(), en: k.labelEn.trim() },
    unit: k.unit.trim() === '' ? null : k.unit.trim(),
    decimals: num(k.decimals, `${k.key} ${px('decimals')}`) ?? 0,
    min: num(k.min, `${k.key} ${px('min')}`),
    max: num(k.max, `${k.key} ${px('max')}`),
  }));
  const commands: ProfileCommand[] = d.commands.map((c) => {
    const command: ProfileCommand = { method: c.method.trim(), label: { id: c.labelId.trim(), en: c.labelEn.trim() }, oneway: false };
    if (c.params.trim() !== '') {
      try {
        command.params = JSON.parse(c.params);
      } catch {
        throw new Error(fill(px('badJson'), { method: c.method }));
      }
    }
    const min = num(c.min, `${c.method} ${px('min')}`);
    const max = num(c.max, `${c.method} ${px('max')}`);
    if (min !== null && max !== null) command.input = { min, max, step: num(c.step, `${c.method} ${px('step')}`) ?? 1, unit: c.unit.trim() === '' ? null : c.unit.trim() };
    return command;
  });
  const offline = num(d.offline, px('offline'));
  return { type: d.type.trim(), name: { id: d.nameId.trim(), en: d.nameEn.trim() }, keys, commands, offlineTimeoutSeconds: offline, provisionOpdId: d.provisionOpdId === '' ? null : d.provisionOpdId };
}

export function Profiles() {
  const [profiles, reload, loadError] = useList<DeviceProfile>('/device-profiles', false);
  const [opds] = useList<{ id: string; code: string; name: string }>('/opds', false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ type: string; key: string; secret: string } | null>(null);
  const nameOf = (p: DeviceProfile) => (getLang() === 'en' ? p.name.en : p.name.id);

  const save = async (provisioning?: boolean) => {
    if (!draft) return;
    try {
      const body = { ...toBody(draft), ...(provisioning !== undefined && { provisioning }) };
      const saved = draft.id ? await api<ProfileWithSecret>('PUT', `/device-profiles/${draft.id}`, body) : await api<ProfileWithSecret>('POST', '/device-profiles', body);
      if (saved.provisionSecret && saved.provisionKey) setSecret({ type: saved.type, key: saved.provisionKey, secret: saved.provisionSecret });
      setDraft(toDraft(saved));
      setError(null);
      setOk(px('saved'));
      reload();
    } catch (err) {
      setOk(null);
      setError((err as Error).message);
    }
  };
  const remove = async (p: DeviceProfile) => {
    if (!confirm(`${p.type}: ${t('confirmDelete')}`)) return;
    try {
      await api('DELETE', `/device-profiles/${p.id}`);
      setDraft(null);
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const set = (patch: Partial<Draft>) => draft && setDraft({ ...draft, ...patch });
  const input = (value: string, onInput: (v: string) => void, extra: Record<string, unknown> = {}) =>
    html`<input value=${value} onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)} ...${extra} />`;
  const setKey = (i: number, patch: Partial<Draft['keys'][number]>) => draft && set({ keys: draft.keys.map((k, j) => (j === i ? { ...k, ...patch } : k)) });
  const setCommand = (i: number, patch: Partial<Draft['commands'][number]>) => draft && set({ commands: draft.commands.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  return html`
    <section class="card">
      <p class="muted small">${px('intro')}</p>
      <${Message} error=${loadError} />
      <table data-testid="profiles">
        <thead><tr><th>${px('type')}</th><th>${t('name')}</th><th>${px('keys')}</th><th>${px('commands')}</th><th>${px('offline')}</th><th>${px('provisioning')}</th><th></th></tr></thead>
        <tbody>
          ${(profiles ?? []).map(
            (p) => html`<tr data-profile=${p.type}>
              <td><code translate=${false}>${p.type}</code></td><td>${nameOf(p)}</td>
              <td>${p.keys.map((k) => `${getLang() === 'en' ? k.label.en : k.label.id}${k.unit ? ` (${k.unit})` : ''}`).join(', ')}</td>
              <td>${p.commands.map((c) => (getLang() === 'en' ? c.label.en : c.label.id)).join(', ')}</td>
              <td>${p.offlineTimeoutSeconds ?? px('regionDefault')}</td>
              <td>${p.provisionKey ? px('provOn') : px('provOff')}</td>
              <td class="row"><button class="ghost" onClick=${() => { setDraft(toDraft(p)); setOk(null); setError(null); }}>${px('edit')}</button><button class="ghost danger" onClick=${() => remove(p)}>×</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${profiles?.length === 0 && !loadError && html`<p class="muted">${px('none')}</p>`}
      <button type="button" onClick=${() => { setDraft(emptyDraft()); setOk(null); setError(null); }}>${px('newProfile')}</button>
    </section>
    ${secret &&
    html`<div class="token" role="dialog" aria-label=${px('secretTitle')} data-testid="provision-secret">
      <p><strong>${px('secretTitle')}: ${secret.type}</strong></p>
      <p class="once">${px('once')}</p>
      <div class="row wrap secret-row">${px('keyLabel')} <code data-testid="provision-key">${secret.key}</code><${CopyButton} text=${secret.key} /></div>
      <div class="row wrap secret-row">${px('secretLabel')} <code data-testid="provision-secret-value">${secret.secret}</code><${CopyButton} text=${secret.secret} /></div>
      <p class="small">${px('secretHint')}</p>
      <button class="ghost" onClick=${() => setSecret(null)}>${px('done')}</button>
    </div>`}
    ${draft &&
    html`<section class="card" data-testid="profile-editor">
      <div class="inline">
        <label>${px('type')}${input(draft.type, (v) => set({ type: v }), { name: 'type', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]*' })}</label>
        <label>${px('nameId')}${input(draft.nameId, (v) => set({ nameId: v }), { name: 'nameId', required: true })}</label>
        <label>${px('nameEn')}${input(draft.nameEn, (v) => set({ nameEn: v }), { name: 'nameEn', required: true })}</label>
        <label>${px('offline')}${input(draft.offline, (v) => set({ offline: v }), { name: 'offline', inputMode: 'numeric', placeholder: px('offlineHint') })}</label>
        <label>${px('provOpd')}
          <select name="provisionOpdId" value=${draft.provisionOpdId} onChange=${(e: Event) => set({ provisionOpdId: (e.target as HTMLSelectElement).value })}>
            <option value="">—</option>
            ${(opds ?? []).map((o) => html`<option value=${o.id}>${o.code} — ${o.name}</option>`)}
          </select>
        </label>
      </div>
      <h3>${px('keys')}</h3>
      <table class="edit-table">
        <thead><tr><th>${px('key')}</th><th>${px('labelId')}</th><th>${px('labelEn')}</th><th>${px('unit')}</th><th>${px('decimals')}</th><th>${px('min')}</th><th>${px('max')}</th><th></th></tr></thead>
        <tbody>
          ${draft.keys.map(
            (k, i) => html`<tr data-key=${i}>
              <td>${input(k.key, (v) => setKey(i, { key: v }), { name: `key-${i}`, 'aria-label': px('key') })}</td>
              <td>${input(k.labelId, (v) => setKey(i, { labelId: v }), { name: `labelId-${i}`, 'aria-label': px('labelId') })}</td>
              <td>${input(k.labelEn, (v) => setKey(i, { labelEn: v }), { name: `labelEn-${i}`, 'aria-label': px('labelEn') })}</td>
              <td>${input(k.unit, (v) => setKey(i, { unit: v }), { name: `unit-${i}`, size: 6, 'aria-label': px('unit') })}</td>
              <td>${input(k.decimals, (v) => setKey(i, { decimals: v }), { name: `decimals-${i}`, size: 3, inputMode: 'numeric', 'aria-label': px('decimals') })}</td>
              <td>${input(k.min, (v) => setKey(i, { min: v }), { name: `min-${i}`, size: 6, inputMode: 'decimal', 'aria-label': px('min') })}</td>
              <td>${input(k.max, (v) => setKey(i, { max: v }), { name: `max-${i}`, size: 6, inputMode: 'decimal', 'aria-label': px('max') })}</td>
              <td><button type="button" class="ghost" onClick=${() => set({ keys: draft.keys.filter((_, j) => j !== i) })}>${px('remove')}</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
      <button type="button" class="ghost" onClick=${() => set({ keys: [...draft.keys, { key: '', labelId: '', labelEn: '', unit: '', decimals: '0', min: '', max: '' }] })}>${px('addKey')}</button>
      <h3>${px('commands')}</h3>
      <p class="muted small">${px('commandHint')}</p>
      <table class="edit-table">
        <thead><tr><th>${px('method')}</th><th>${px('labelId')}</th><th>${px('labelEn')}</th><th>${px('params')}</th><th>${px('min')}</th><th>${px('max')}</th><th>${px('step')}</th><th>${px('unit')}</th><th></th></tr></thead>
        <tbody>
          ${draft.commands.map(
            (c, i) => html`<tr data-command=${i}>
              <td>${input(c.method, (v) => setCommand(i, { method: v }), { name: `method-${i}`, 'aria-label': px('method') })}</td>
              <td>${input(c.labelId, (v) => setCommand(i, { labelId: v }), { name: `cmdLabelId-${i}`, 'aria-label': px('labelId') })}</td>
              <td>${input(c.labelEn, (v) => setCommand(i, { labelEn: v }), { name: `cmdLabelEn-${i}`, 'aria-label': px('labelEn') })}</td>
              <td>${input(c.params, (v) => setCommand(i, { params: v }), { name: `params-${i}`, 'aria-label': px('params') })}</td>
              <td>${input(c.min, (v) => setCommand(i, { min: v }), { name: `cmdMin-${i}`, size: 4, 'aria-label': px('min') })}</td>
              <td>${input(c.max, (v) => setCommand(i, { max: v }), { name: `cmdMax-${i}`, size: 4, 'aria-label': px('max') })}</td>
              <td>${input(c.step, (v) => setCommand(i, { step: v }), { name: `cmdStep-${i}`, size: 3, 'aria-label': px('step') })}</td>
              <td>${input(c.unit, (v) => setCommand(i, { unit: v }), { name: `cmdUnit-${i}`, size: 4, 'aria-label': px('unit') })}</td>
              <td><button type="button" class="ghost" onClick=${() => set({ commands: draft.commands.filter((_, j) => j !== i) })}>${px('remove')}</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
      <button type="button" class="ghost" onClick=${() => set({ commands: [...draft.commands, { method: '', labelId: '', labelEn: '', params: '', min: '', max: '', step: '', unit: '' }] })}>${px('addCommand')}</button>
      <${Message} error=${error} />
      ${ok && html`<p class="ok" role="status">${ok}</p>`}
      <div class="row wrap">
        <button type="button" data-testid="profile-save" onClick=${() => save()}>${t('save')}</button>
        <button type="button" class="ghost" data-testid="profile-issue" onClick=${() => (!draft.id || confirm(px('confirmIssue'))) && save(true)}>${px('issue')}</button>
        ${draft.id && html`<button type="button" class="ghost" onClick=${() => save(false)}>${px('turnOff')}</button>`}
        <button type="button" class="ghost" onClick=${() => setDraft(null)}>${px('cancel')}</button>
      </div>
    </section>`}
  `;
}

/** POST a multipart file and take the answer as a file (the tokens CSV), or its error. */
async function postForFile(path: string, file: File): Promise<{ blob: Blob; name: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(`/api/v1${path}`, { method: 'POST', headers, body: form });
  if (!res.ok) {
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, data?.error?.code ?? 'ERROR', data?.error?.message ?? res.statusText, data);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'device-tokens.csv';
  return { blob: await res.blob(), name };
}

function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The import card of the devices screen; `onImported` reloads that screen's list. */
export function DeviceImport({ onImported }: { onImported?: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const check = async () => {
    if (!file) return;
    setBusy('check');
    setError(null);
    setDone(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const headers: Record<string, string> = {};
      if (session.token) headers.authorization = `Bearer ${session.token}`;
      const res = await fetch('/api/v1/devices/import?dryRun=true', { method: 'POST', headers, body: form });
      const data = await res.json();
      if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'ERROR', data?.error?.message ?? res.statusText, data);
      setPreview(data as ImportPreview);
    } catch (err) {
      setPreview(null);
      setError(importErrorText(err instanceof ApiError ? err.code : undefined, (err as Error).message));
    } finally {
      setBusy(null);
    }
  };
  const run = async () => {
    if (!file) return;
    setBusy('import');
    setError(null);
    try {
      const { blob, name } = await postForFile('/devices/import', file);
      saveFile(blob, name);
      setDone(fill(px('imported'), { n: preview?.devices.length ?? '' }));
      setPreview(null);
      setFile(null);
      onImported?.();
    } catch (err) {
      const details = ((err as ApiError).body as { error?: { details?: { errors?: ImportPreview['errors'] } } } | undefined)?.error?.details;
      if (details?.errors) setPreview({ rows: 0, devices: [], errors: details.errors });
      setError(details?.errors ? px('fixFirst') : importErrorText(err instanceof ApiError ? err.code : undefined, (err as Error).message));
    } finally {
      setBusy(null);
    }
  };

  return html`
    <section class="card">
      <h2>${px('importTitle')}</h2>
      <p class="small muted">${px('importIntro')}</p>
      <p class="small"><code>name,type,label,asset,opd</code></p>
      <div class="inline">
        <label class="file">${file ? file.name : px('file')}<input type="file" name="devices-csv" accept=".csv,text/csv" disabled=${busy !== null} onChange=${(e: Event) => { setFile((e.target as HTMLInputElement).files?.[0] ?? null); setPreview(null); setDone(null); }} /></label>
        <button type="button" data-testid="import-check" disabled=${!file || busy !== null} onClick=${check}>${busy === 'check' ? px('checking') : px('check')}</button>
        <button type="button" data-testid="import-run" disabled=${!preview || preview.errors.length > 0 || preview.devices.length === 0 || busy !== null} onClick=${run}>${busy === 'import' ? px('importing') : px('doImport')}</button>
      </div>
      <${Message} error=${error} />
      ${done && html`<p class="ok" role="status" data-testid="import-done">${done}</p>`}
      ${preview &&
      html`<div data-testid="import-preview">
        <p role="status">${fill(px('preview'), { ok: preview.devices.length, bad: preview.errors.length })}</p>
        ${preview.errors.length > 0 &&
        html`<table>
          <thead><tr><th>${px('line')}</th><th>${px('problem')}</th></tr></thead>
          <tbody>${preview.errors.map((r) => html`<tr data-line=${r.line}><td class="num">${r.line}</td><td>${r.problems.map((x) => x[getLang()]).join('; ')}</td></tr>`)}</tbody>
        </table>`}
        ${preview.devices.length > 0 &&
        html`<table>
          <thead><tr><th>${px('line')}</th><th>${px('type')}</th><th>${t('name')}</th></tr></thead>
          <tbody>${preview.devices.slice(0, 200).map((d) => html`<tr><td class="num">${d.line}</td><td><code translate=${false}>${d.type}</code></td><td>${d.name}</td></tr>`)}</tbody>
        </table>`}
      </div>`}
    </section>
  `;
}
