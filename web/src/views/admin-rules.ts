/**
 * Pengelolaan → Aturan: the region's alarm rules in words (what they watch,
 * their levels with thresholds and units, their actions), turned on and off,
 * deleted after a confirmation, and made or edited in the editor
 * (admin-rules-form.ts). A viewer reads them and is offered nothing else.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatNumber, getLang, severityName } from '../i18n.js';
import { commandsOf, typeLabel, useProfiles } from '../profiles.js';
import { ASSET_TYPES } from '../../../src/modules/assets/asset-types.ts';
import type { Device } from '../../../src/modules/devices/devices.contract.js';
import type { Category } from '../../../src/modules/incidents/incidents.contract.js';
import type { Rule } from '../../../src/modules/rules/rules.contract.ts';
import { fill, useList } from './admin-common.js';
import { RuleEditor } from './admin-rules-form.js';
import { refusal, rx } from './admin-rules-words.js';
import { conditionText, keyName, LevelChip } from './alarm-levels.js';

/** Where the rule applies, in words: *Pos duga air (semua)*, a device's name, an asset type's name. */
function targetText(r: Rule, devices: Device[]): string {
  if (r.target.kind === 'device_type') return `${typeLabel(r.target.value)} (${rx('allOfType').toLowerCase()})`;
  if (r.target.kind === 'device') return devices.find((d) => d.id === r.target.value)?.name ?? '—';
  return ASSET_TYPES.find((a) => a.type === r.target.value)?.[getLang()] ?? r.target.value;
}

/** The type the rule's readings are worded by (its device type, or its device's). */
function typeOf(r: Rule, devices: Device[]): string | null {
  if (r.target.kind === 'device_type') return r.target.value;
  if (r.target.kind === 'device') return devices.find((d) => d.id === r.target.value)?.type ?? null;
  return null;
}

function actionText(a: Rule['actions'][number], opds: { id: string; name: string }[], devices: Device[]): string {
  const v = a as Record<string, unknown>;
  const id = getLang() === 'id';
  const from = typeof v.minSeverity === 'string' ? ` (${id ? 'mulai' : 'from'} ${severityName(v.minSeverity)})` : '';
  if (a.type === 'incident') return `${id ? 'Kejadian untuk' : 'Incident for'} ${opds.find((o) => o.id === v.opdId)?.name ?? '—'}${from}`;
  if (a.type === 'webhook') return `Webhook ${typeof v.url === 'string' && URL.canParse(v.url) ? new URL(v.url).host : ''}`;
  if (a.type === 'command') {
    const device = devices.find((d) => d.id === v.deviceId);
    const command = commandsOf(device?.type).find((c) => c.method === v.method);
    const label = command ? command.label[getLang()] : id ? 'perintah' : 'command';
    const confirm = v.confirm === false ? '' : id ? ', dengan konfirmasi' : ', confirmed';
    return `${label} → ${device?.name ?? '—'}${from}${confirm}`;
  }
  return a.type;
}

export function Rules() {
  useProfiles();
  const [rules, reload] = useList<Rule>('/rules');
  const [devices] = useList<Device>('/devices');
  const [opds] = useList<{ id: string; name: string }>('/opds', false);
  const [categories] = useList<Category>('/incident-categories', false);
  const [me, setMe] = useState<{ role: string; opdId: string | null } | null>(null);
  const role = me?.role ?? null;
  /** the rule being edited; 'new' for a new one */
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api<{ role: string; opdId: string | null }>('GET', '/auth/me').then(
      (answer) => setMe(answer),
      () => setMe(null),
    );
  }, []);
  const canEdit = role === 'admin' || role === 'operator';

  const done = (saved: boolean) => {
    setEditing(null);
    setNote(saved ? { ok: true, text: rx('saved') } : null);
    if (saved) reload();
  };
  const toggle = async (r: Rule) => {
    if (r.enabled && !confirm(fill(rx('confirmOff'), { name: r.name }))) return;
    try {
      await api('PATCH', `/rules/${r.id}`, { enabled: !r.enabled });
      setNote(null);
      reload();
    } catch (err) {
      setNote({ ok: false, text: refusal(err).text });
    }
  };
  const remove = async (r: Rule) => {
    if (!confirm(fill(rx('confirmDelete'), { name: r.name }))) return;
    try {
      await api('DELETE', `/rules/${r.id}`);
      if (editing !== 'new' && editing?.id === r.id) setEditing(null);
      setNote(null);
      reload();
    } catch (err) {
      setNote({ ok: false, text: refusal(err).text });
    }
  };

  return html`
    <div class="rules-admin">
      ${editing !== null &&
      html`<${RuleEditor}
        key=${editing === 'new' ? 'new' : editing.id}
        rule=${editing === 'new' ? null : editing}
        isAdmin=${role === 'admin'}
        devices=${devices ?? []}
        opds=${(opds ?? []).filter((o) => role !== 'operator' || o.id === me?.opdId)}
        categories=${categories ?? []}
        onDone=${done}
      />`}
      <section class="card">
        <div class="row wrap">
          <h2 class="card-title">${rx('title')}</h2>
          <span class="spacer"></span>
          ${canEdit && editing === null && html`<button type="button" data-testid="rule-new" onClick=${() => (setNote(null), setEditing('new'))}>+ ${rx('newRule')}</button>`}
        </div>
        ${role === 'viewer' && html`<p class="muted small">${rx('viewerNote')}</p>`}
        ${note && html`<p class=${note.ok ? 'ok' : 'error'} role=${note.ok ? 'status' : 'alert'}>${note.text}</p>`}
        ${rules !== null && rules.length === 0 && html`<p class="muted">${rx('noRules')}</p>`}
        <ul class="rule-list">
          ${(rules ?? []).map((r) => {
            const type = typeOf(r, devices ?? []);
            return html`<li class=${`rule-item${r.enabled ? '' : ' off'}`} data-rule=${r.id}>
              <div class="row wrap">
                <strong>${r.name}</strong>
                <span class=${`chip ${r.enabled ? 'rule-on' : 'rule-off'}`} data-testid="rule-status">${r.enabled ? rx('on') : rx('off')}</span>
                <span class="spacer"></span>
                ${canEdit &&
                html`<span class="row wrap">
                  <button type="button" class="ghost" onClick=${() => toggle(r)}>${r.enabled ? rx('turnOff') : rx('turnOn')}</button>
                  <button type="button" class="ghost" onClick=${() => (setNote(null), setEditing(r))}>${rx('edit')}</button>
                  <button type="button" class="ghost danger" onClick=${() => remove(r)}>${rx('delete')}</button>
                </span>`}
              </div>
              <p class="small">${targetText(r, devices ?? [])} · ${keyName(r.key, type)}${r.durationSeconds > 0 ? ` · ${fill(rx('heldFor'), { n: formatNumber(r.durationSeconds / 60) })}` : ''}</p>
              <ul class="rule-levels">
                ${r.levels.map((l) => html`<li><${LevelChip} severity=${l.severity} /> ${conditionText(l.condition, r.key, type)}${l.clearCondition ? html` <span class="muted">(${rx('fallsWhen')} ${conditionText(l.clearCondition, r.key, type)})</span>` : ''}</li>`)}
              </ul>
              ${r.actions.length > 0 && html`<p class="small muted">${rx('actions')}: ${r.actions.map((a) => actionText(a, opds ?? [], devices ?? [])).join(' · ')}</p>`}
            </li>`;
          })}
        </ul>
      </section>
    </div>
  `;
}
