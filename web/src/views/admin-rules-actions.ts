/**
 * What a rule does besides its alarm: open a Kejadian for an OPD, call a
 * webhook, send (or propose) a device command. Notifications are not an action
 * of the rule: they follow the escalation policy of the device's OPD, which the
 * editor says and links to.
 */
import { html } from '../html.js';
import { getLang, severityName, texts } from '../i18n.js';
import { commandsOf } from '../profiles.js';
import { GENERAL_SEVERITIES, WARNING_LEVELS } from '../../../src/modules/alarms/alarms.constants.ts';
import type { Device } from '../../../src/modules/devices/devices.contract.js';
import type { Category } from '../../../src/modules/incidents/incidents.contract.js';
import { commandChoice, type ActionDraft, type Problems } from './admin-rules-draft.js';
import { rx } from './admin-rules-words.js';

const ax = texts({
  add: ['Tambah tindakan', 'Add an action'],
  remove: ['Hapus tindakan', 'Remove action'],
  incident: ['Buat kejadian', 'Open an incident'],
  webhook: ['Panggil webhook', 'Call a webhook'],
  command: ['Kirim perintah ke perangkat', 'Send a device command'],
  other: ['Tindakan lain (dari API)', 'Other action (from the API)'],
  opd: ['OPD penanggung jawab', 'Responsible OPD'],
  chooseOpd: ['— pilih OPD —', '— choose an OPD —'],
  category: ['Kategori', 'Category'],
  byRule: ['— otomatis —', '— automatic —'],
  fromLevel: ['Mulai pada level', 'From level'],
  anyLevel: ['Level apa pun', 'Any level'],
  url: ['Alamat (URL)', 'Address (URL)'],
  secret: ['Kunci tanda tangan (opsional)', 'Signing key (optional)'],
  secretKept: ['•••• tersimpan: kosongkan untuk tetap memakai', '•••• stored: leave empty to keep it'],
  callOn: ['Dipanggil saat', 'Called when'],
  opened: ['alarm dibuka', 'the alarm opens'],
  level_changed: ['level berubah', 'the level changes'],
  cleared: ['alarm selesai', 'the alarm clears'],
  privateNet: ['Boleh ke jaringan internal (khusus admin)', 'May call the internal network (admins only)'],
  ssrf: ['Alamat lokal atau jaringan internal ditolak kecuali diizinkan admin.', 'Local and internal addresses are refused unless an admin allows them.'],
  device: ['Perangkat', 'Device'],
  chooseDevice: ['— pilih perangkat —', '— choose a device —'],
  noCommandDevices: ['Belum ada perangkat yang profilnya punya perintah.', 'No device has a profile with commands yet.'],
  which: ['Perintah', 'Command'],
  chooseCommand: ['— pilih perintah —', '— choose a command —'],
  value: ['Nilai', 'Value'],
  confirm: ['Minta konfirmasi operator sebelum dikirim', 'Ask an operator to confirm before sending'],
  confirmHelp: ['Tanpa konfirmasi, perintah dikirim langsung saat alarm terbuka.', 'Without confirmation, the command is sent at once when the alarm opens.'],
  notifications: [
    'Pemberitahuan (WhatsApp, SMS, surel, Telegram) dikirim menurut kebijakan eskalasi OPD pemilik perangkat, sesuai level alarm.',
    'Notifications (WhatsApp, SMS, email, Telegram) go out by the escalation policy of the device’s OPD, by the alarm’s level.',
  ],
  policies: ['Atur kebijakan eskalasi', 'Set the escalation policies'],
});

const LEVELS = [...WARNING_LEVELS, ...GENERAL_SEVERITIES];
const ON = ['opened', 'level_changed', 'cleared'] as const;

interface Props {
  actions: ActionDraft[];
  set: (actions: ActionDraft[]) => void;
  isAdmin: boolean;
  opds: { id: string; name: string }[];
  categories: Category[];
  devices: Device[];
  problems: Problems;
}

const value = (e: Event) => (e.target as HTMLInputElement).value;
const checked = (e: Event) => (e.target as HTMLInputElement).checked;

function LevelSelect({ name, value: current, onChange }: { name: string; value: string; onChange: (v: string) => void }) {
  return html`<label>${ax('fromLevel')}<select name=${name} value=${current} onChange=${(e: Event) => onChange(value(e))}>
    <option value="">${ax('anyLevel')}</option>
    ${LEVELS.map((s) => html`<option value=${s}>${severityName(s)}</option>`)}
  </select></label>`;
}

export function RuleActions({ actions, set, isAdmin, opds, categories, devices, problems }: Props) {
  const change = (i: number, patch: Partial<ActionDraft>) => set(actions.map((a, j) => (j === i ? ({ ...a, ...patch } as ActionDraft) : a)));
  const commandDevices = devices.filter((d) => commandsOf(d.type).length > 0);
  const lang = getLang();
  const add = (type: string) => {
    if (type === 'incident') set([...actions, { type: 'incident', opdId: '', categoryCode: '', minSeverity: '' }]);
    if (type === 'webhook') set([...actions, { type: 'webhook', url: '', secret: '', hasSecret: false, on: [...ON], allowPrivateNetwork: false }]);
    if (type === 'command') set([...actions, { type: 'command', deviceId: '', command: '', level: '', confirm: true, minSeverity: '' }]);
  };

  const body = (a: ActionDraft, i: number) => {
    if (a.type === 'incident') {
      return html`
        <label>${ax('opd')}<select name=${`incident-opd-${i}`} required value=${a.opdId} onChange=${(e: Event) => change(i, { opdId: value(e) })}>
          <option value="">${ax('chooseOpd')}</option>
          ${opds.map((o) => html`<option value=${o.id}>${o.name}</option>`)}
        </select></label>
        <label>${ax('category')}<select name=${`incident-category-${i}`} value=${a.categoryCode} onChange=${(e: Event) => change(i, { categoryCode: value(e) })}>
          <option value="">${ax('byRule')}</option>
          ${categories.filter((c) => c.active || c.code === a.categoryCode).map((c) => html`<option value=${c.code}>${lang === 'id' ? c.nameId : c.nameEn}</option>`)}
        </select></label>
        <${LevelSelect} name=${`incident-level-${i}`} value=${a.minSeverity} onChange=${(v: string) => change(i, { minSeverity: v })} />`;
    }
    if (a.type === 'webhook') {
      return html`
        <label class="wide">${ax('url')}<input name=${`webhook-url-${i}`} type="url" required placeholder="https://" value=${a.url} onInput=${(e: Event) => change(i, { url: value(e) })} /></label>
        <label>${ax('secret')}<input name=${`webhook-secret-${i}`} type="password" autocomplete="off" placeholder=${a.hasSecret ? ax('secretKept') : ''} value=${a.secret} onInput=${(e: Event) => change(i, { secret: value(e) })} /></label>
        <fieldset class="checks"><legend>${ax('callOn')}</legend>
          ${ON.map((t) => html`<label class="check"><input type="checkbox" name=${`webhook-on-${t}-${i}`} checked=${a.on.includes(t)} onChange=${(e: Event) => change(i, { on: checked(e) ? [...a.on, t] : a.on.filter((x) => x !== t) })} /> ${ax(t)}</label>`)}
        </fieldset>
        ${isAdmin && html`<label class="check"><input type="checkbox" name=${`webhook-private-${i}`} checked=${a.allowPrivateNetwork} onChange=${(e: Event) => change(i, { allowPrivateNetwork: checked(e) })} /> ${ax('privateNet')}</label>`}
        <p class="muted small wide">${ax('ssrf')}</p>`;
    }
    if (a.type === 'command') {
      const device = devices.find((d) => d.id === a.deviceId);
      const commands = commandsOf(device?.type);
      const chosen = commands.find((c) => commandChoice(c.method, c.input ? null : c.params) === a.command);
      if (commandDevices.length === 0 && !device) return html`<p class="muted small wide">${ax('noCommandDevices')}</p>`;
      return html`
        <label>${ax('device')}<select name=${`command-device-${i}`} required value=${a.deviceId} onChange=${(e: Event) => change(i, { deviceId: value(e), command: '', level: '' })}>
          <option value="">${ax('chooseDevice')}</option>
          ${commandDevices.map((d) => html`<option value=${d.id}>${d.name}</option>`)}
        </select></label>
        <label>${ax('which')}<select name=${`command-method-${i}`} required value=${a.command} onChange=${(e: Event) => change(i, { command: value(e) })}>
          <option value="">${ax('chooseCommand')}</option>
          ${commands.map((c) => html`<option value=${commandChoice(c.method, c.input ? null : c.params)}>${c.label[lang]}</option>`)}
        </select></label>
        ${chosen?.input &&
        html`<label>${ax('value')}<span class="with-unit"><input name=${`command-level-${i}`} inputMode="decimal" required value=${a.level} aria-invalid=${problems[`actions[${i}]`] ? 'true' : undefined} onInput=${(e: Event) => change(i, { level: value(e) })} />${chosen.input.unit && html`<span>${chosen.input.unit}</span>`}</span></label>`}
        <${LevelSelect} name=${`command-level-from-${i}`} value=${a.minSeverity} onChange=${(v: string) => change(i, { minSeverity: v })} />
        <label class="check wide" title=${ax('confirmHelp')}><input type="checkbox" name=${`command-confirm-${i}`} checked=${a.confirm} onChange=${(e: Event) => change(i, { confirm: checked(e) })} /> ${ax('confirm')}</label>
        ${!a.confirm && html`<p class="warn small wide">${ax('confirmHelp')}</p>`}`;
    }
    return html`<p class="muted small wide">${ax('other')}</p>`;
  };

  return html`
    <fieldset class="rule-actions" data-testid="rule-actions">
      <legend>${rx('actions')}</legend>
      ${actions.map(
        (a, i) => html`<div class="rule-action" data-action=${a.type} data-index=${i}>
          <div class="row"><strong>${ax(a.type)}</strong><span class="spacer"></span>
            <button type="button" class="ghost danger" onClick=${() => set(actions.filter((_, j) => j !== i))}>${ax('remove')}</button></div>
          <div class="fields">${body(a, i)}</div>
          ${problems[`actions[${i}]`] && html`<p class="error small" role="alert">${problems[`actions[${i}]`]}</p>`}
        </div>`,
      )}
      <div class="row wrap">
        <button type="button" class="ghost" onClick=${() => add('incident')}>+ ${ax('incident')}</button>
        <button type="button" class="ghost" onClick=${() => add('webhook')}>+ ${ax('webhook')}</button>
        <button type="button" class="ghost" onClick=${() => add('command')}>+ ${ax('command')}</button>
      </div>
      <p class="muted small">${ax('notifications')} <a href="#/admin/escalation">${ax('policies')}</a></p>
    </fieldset>
  `;
}
