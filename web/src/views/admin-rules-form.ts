/**
 * The rule editor: what it watches (a device type or one device, and a reading
 * of its profile, by their names and units), its levels in words with their
 * thresholds and clear conditions, how long a level must hold, its actions, and
 * a preview of how often it would have fired. Numbers are typed and shown in the
 * user's language (3,5 m).
 */
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { getLang, severityName } from '../i18n.js';
import { commandsOf, keySpecOf, profileOf, typeLabel, useProfiles } from '../profiles.js';
import { GENERAL_SEVERITIES, WARNING_LEVELS, type Severity } from '../../../src/modules/alarms/alarms.constants.ts';
import { ASSET_TYPES } from '../../../src/modules/assets/asset-types.ts';
import type { Device } from '../../../src/modules/devices/devices.contract.js';
import type { Category } from '../../../src/modules/incidents/incidents.contract.js';
import { MAX_LEVELS, type TargetKind } from '../../../src/modules/rules/rules.constants.ts';
import type { Rule } from '../../../src/modules/rules/rules.contract.ts';
import { RuleActions } from './admin-rules-actions.js';
import { commandChoice, emptyDraft, fromRule, hasClear, isOp, opensAbove, OPS, toBody, type Draft, type LevelRow, type Problems } from './admin-rules-draft.js';
import { RulePreview } from './admin-rules-preview.js';
import { refusal, rx } from './admin-rules-words.js';

const LEVELS: Severity[] = [...WARNING_LEVELS, ...GENERAL_SEVERITIES];
const KINDS: { kind: TargetKind; text: () => string }[] = [
  { kind: 'device_type', text: () => rx('allOfType') },
  { kind: 'device', text: () => rx('oneDevice') },
  { kind: 'asset_type', text: () => rx('assetType') },
];

/** The next level up the BNPB scale, for a new row. */
function nextSeverity(rows: LevelRow[]): Severity {
  const last = rows[rows.length - 1]?.severity;
  return last === 'waspada' ? 'siaga' : last === 'siaga' ? 'awas' : last === 'awas' ? 'critical' : 'siaga';
}

const value = (e: Event) => (e.target as HTMLInputElement).value;

interface Props {
  /** null: a new rule */
  rule: Rule | null;
  isAdmin: boolean;
  devices: Device[];
  opds: { id: string; name: string }[];
  categories: Category[];
  onDone: (saved: boolean) => void;
}

export function RuleEditor({ rule, isAdmin, devices, opds, categories, onDone }: Props) {
  const profiles = useProfiles();
  const lang = getLang();
  const types = [...profiles.values()].map((p) => ({ type: p.type, name: p.name[lang] }));
  // A new rule starts on a type that sends readings (a pump's profile may have commands only).
  const firstType = [...profiles.values()].find((p) => p.keys.length > 0)?.type ?? '';
  const [draft, setDraft] = useState<Draft>(() => (rule ? fromRule(rule, (id) => devices.find((d) => d.id === id)?.type) : emptyDraft(firstType, profileOf(firstType)?.keys[0]?.key ?? '')));
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A new rule opened before the profiles arrived takes the first type and reading once they do.
  if (!rule && draft.type === '' && firstType !== '') setDraft({ ...draft, type: firstType, key: profileOf(firstType)?.keys[0]?.key ?? '' });

  // A rule on one device, opened before the devices arrived, learns the device's type once they do.
  if (draft.kind === 'device' && draft.type === '' && draft.deviceId !== '') {
    const type = devices.find((d) => d.id === draft.deviceId)?.type;
    if (type) setDraft({ ...draft, type });
  }
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setRow = (i: number, patch: Partial<LevelRow>) => set({ levels: draft.levels.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const silence = draft.levels[0]?.op === 'silence';

  /** The readings the chosen type's profile names (every profile's, for an asset type), with their units. */
  const keys = useMemo(() => {
    const from = draft.kind === 'asset_type' ? [...profiles.values()] : [profileOf(draft.type)].filter((p) => p !== undefined);
    const seen = new Map<string, string>();
    for (const p of from) for (const k of p.keys) if (!seen.has(k.key)) seen.set(k.key, `${k.label[lang]}${k.unit ? ` (${k.unit})` : ''}`);
    if (draft.key !== '' && draft.key !== '*' && !seen.has(draft.key)) seen.set(draft.key, draft.key);
    return [...seen];
  }, [profiles, draft.kind, draft.type, draft.key, lang]);
  const unit = draft.key === '*' ? null : (keySpecOf(draft.type || null, draft.key)?.unit ?? null);
  const unitOf = (op: string) => (op === 'silence' ? rx('minutes') : op === 'rate_gt' ? `${unit ?? ''}${rx('perMinute')}` : unit);

  const changeType = (type: string) => {
    const keysOfType = profileOf(type)?.keys ?? [];
    set({ type, deviceId: '', key: keysOfType.some((k) => k.key === draft.key) ? draft.key : (keysOfType[0]?.key ?? '') });
  };
  const changeDevice = (id: string) => {
    const type = devices.find((d) => d.id === id)?.type ?? '';
    const keysOfType = profileOf(type)?.keys ?? [];
    set({ deviceId: id, type, key: keysOfType.length === 0 || keysOfType.some((k) => k.key === draft.key) ? draft.key : keysOfType[0]!.key });
  };

  const commandOf = (deviceId: string, choice: string) => {
    const device = devices.find((d) => d.id === deviceId);
    const found = commandsOf(device?.type).find((c) => commandChoice(c.method, c.input ? null : c.params) === choice);
    if (found) return { method: found.method, params: found.input ? null : (found.params ?? null), takesLevel: found.input !== undefined };
    if (choice === '') return null;
    const [method, params] = JSON.parse(choice) as [string, unknown];
    return { method, params, takesLevel: false };
  };
  /** The body, or null after showing what to fix. */
  const build = () => {
    const { body, problems: found } = toBody(draft, commandOf);
    setProblems(found);
    setFailure(Object.keys(found).length > 0 ? Object.values(found)[0]! : null);
    return Object.keys(found).length > 0 ? null : body;
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const body = build();
    if (body === null) return;
    setBusy(true);
    try {
      await api(rule ? 'PATCH' : 'POST', rule ? `/rules/${rule.id}` : '/rules', body);
      onDone(true);
    } catch (err) {
      const { text, field } = refusal(err);
      setFailure(text);
      setProblems(field ? { [field.replace(/\.type$/, '')]: text } : {});
    } finally {
      setBusy(false);
    }
  };
  const problem = (field: string) => problems[field] && html`<span class="error small" role="alert">${problems[field]}</span>`;
  const invalid = (field: string) => (problems[field] ? 'true' : undefined);

  return html`
    <form class="rule-editor card" data-testid="rule-editor" onSubmit=${save} aria-label=${rule ? rx('editing') : rx('creating')} novalidate>
      <h2 class="card-title">${rule ? `${rx('editing')}: ${rule.name}` : rx('creating')}</h2>
      ${rule && html`<p class="muted small">${rx('editOpenAlarms')}</p>`}
      <div class="fields">
        <label class="wide">${rx('name')}<input name="name" required maxLength="200" value=${draft.name} placeholder=${rx('nameHelp')} aria-invalid=${invalid('name')} onInput=${(e: Event) => set({ name: value(e) })} />${problem('name')}</label>
        <label>${rx('appliesTo')}<select name="kind" value=${draft.kind} onChange=${(e: Event) => set({ kind: value(e) as TargetKind, deviceId: '', assetType: '' })}>
          ${KINDS.map((k) => html`<option value=${k.kind}>${k.text()}</option>`)}
        </select></label>
        ${draft.kind === 'device_type' &&
        html`<label>${rx('deviceType')}<select name="type" value=${draft.type} aria-invalid=${invalid('target.value')} onChange=${(e: Event) => changeType(value(e))}>
          ${draft.type !== '' && !profiles.has(draft.type) && html`<option value=${draft.type}>${typeLabel(draft.type)}</option>`}
          ${types.map((x) => html`<option value=${x.type}>${x.name}</option>`)}
        </select>${problem('target.value')}</label>`}
        ${draft.kind === 'device' &&
        html`<label>${rx('device')}<select name="device" value=${draft.deviceId} aria-invalid=${invalid('target.value')} onChange=${(e: Event) => changeDevice(value(e))}>
          <option value="">${rx('chooseDevice')}</option>
          ${devices.map((d) => html`<option value=${d.id}>${d.name} (${typeLabel(d.type)})</option>`)}
        </select>${problem('target.value')}</label>`}
        ${draft.kind === 'asset_type' &&
        html`<label>${rx('assetType')}<select name="assetType" value=${draft.assetType} aria-invalid=${invalid('target.value')} onChange=${(e: Event) => set({ assetType: value(e) })}>
          <option value=""></option>
          ${draft.assetType !== '' && !ASSET_TYPES.some((a) => a.type === draft.assetType) && html`<option value=${draft.assetType}>${draft.assetType}</option>`}
          ${ASSET_TYPES.map((a) => html`<option value=${a.type}>${a[lang]}</option>`)}
        </select>${problem('target.value')}</label>`}
        <label>${rx('measure')}<select name="key" value=${draft.key} aria-invalid=${invalid('key')} onChange=${(e: Event) => set({ key: value(e) })}>
          ${keys.map(([k, label]) => html`<option value=${k}>${label}</option>`)}
          ${silence && html`<option value="*">${rx('anyData')}</option>`}
        </select>${problem('key')}</label>
        ${isAdmin &&
        html`<label>${rx('opd')}<select name="opd" value=${draft.opdId} onChange=${(e: Event) => set({ opdId: value(e) })}>
          <option value="">${rx('anyOpd')}</option>
          ${opds.map((o) => html`<option value=${o.id}>${o.name}</option>`)}
        </select></label>`}
        <label title=${rx('durationHelp')}>${rx('duration')}<input name="minutes" inputMode="decimal" value=${draft.minutes} aria-invalid=${invalid('durationSeconds')} onInput=${(e: Event) => set({ minutes: value(e) })} />${problem('durationSeconds')}</label>
        <label class="check"><input type="checkbox" name="enabled" checked=${draft.enabled} onChange=${(e: Event) => set({ enabled: (e.target as HTMLInputElement).checked })} /> ${rx('enabled')}</label>
      </div>
      ${profiles.size === 0 && html`<p class="warn small">${rx('noProfiles')}</p>`}

      <fieldset class="level-rows">
        <legend>${rx('levels')}</legend>
        <p class="muted small">${rx('levelsHelp')}</p>
        ${draft.levels.map(
          (row, i) => html`<div class="level-row" data-level=${i}>
            <label>${rx('level')}<select name=${`severity-${i}`} value=${row.severity} onChange=${(e: Event) => setRow(i, { severity: LEVELS.find((s) => s === value(e)) ?? row.severity })}>
              ${LEVELS.map((s) => html`<option value=${s}>${severityName(s)}</option>`)}
            </select></label>
            <label>${rx('when')}<select name=${`op-${i}`} value=${row.op} onChange=${(e: Event) => {
              const op = value(e);
              if (isOp(op)) setRow(i, { op, clear: hasClear(op) ? row.clear : '' });
            }}>
              ${OPS.filter((o) => o !== 'silence' || draft.levels.length === 1).map((o) => html`<option value=${o}>${rx(o)}</option>`)}
            </select></label>
            <label>${rx('threshold')}<span class="with-unit"><input name=${`threshold-${i}`} inputMode="decimal" required value=${row.threshold} aria-invalid=${invalid(`levels[${i}].condition.value`)} onInput=${(e: Event) => setRow(i, { threshold: value(e) })} />${unitOf(row.op) && html`<span>${unitOf(row.op)}</span>`}</span>${problem(`levels[${i}].condition.value`)}</label>
            ${hasClear(row.op) &&
            html`<label title=${rx('clearHelp')}>${rx(opensAbove(row.op) ? 'clearBelow' : 'clearAbove')}<span class="with-unit"><input name=${`clear-${i}`} inputMode="decimal" value=${row.clear} aria-invalid=${invalid(`levels[${i}].clearCondition`)} onInput=${(e: Event) => setRow(i, { clear: value(e) })} />${unit && html`<span>${unit}</span>`}</span>${problem(`levels[${i}].clearCondition`)}</label>`}
            <button type="button" class="ghost" disabled=${draft.levels.length === 1} onClick=${() => set({ levels: draft.levels.filter((_, j) => j !== i) })}>${rx('removeLevel')}</button>
          </div>`,
        )}
        ${problem('levels')}
        <div>
          <button type="button" class="ghost" disabled=${draft.levels.length >= MAX_LEVELS || silence} onClick=${() => set({ levels: [...draft.levels, { ...draft.levels[draft.levels.length - 1]!, severity: nextSeverity(draft.levels), threshold: '', clear: '' }] })}>+ ${rx('addLevel')}</button>
        </div>
        <p class="muted small">${rx('clearHelp')}</p>
      </fieldset>

      <${RuleActions} actions=${draft.actions} set=${(actions: Draft['actions']) => set({ actions })} isAdmin=${isAdmin} opds=${opds} categories=${categories} devices=${devices} problems=${problems} />

      <${RulePreview} build=${build} keyName=${draft.key} />

      ${failure && html`<p class="error" role="alert" data-testid="rule-error">${failure}</p>`}
      <div class="row wrap">
        <button type="submit" disabled=${busy}>${rule ? rx('save') : rx('create')}</button>
        <button type="button" class="ghost" onClick=${() => onDone(false)}>${rx('cancel')}</button>
      </div>
    </form>
  `;
}
