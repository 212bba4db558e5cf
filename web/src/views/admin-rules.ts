/** Pengelolaan → Aturan: rules with levels (one alarm per hazard whose level rises and falls), created and edited. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatNumber, severityName, t, texts } from '../i18n.js';
import { GENERAL_SEVERITIES, WARNING_LEVELS, type Severity } from '../../../src/modules/alarms/alarms.constants.ts';
import { MAX_LEVELS, type TargetKind } from '../../../src/modules/rules/rules.constants.ts';
import type { Level, Rule, RuleBody } from '../../../src/modules/rules/rules.contract.ts';
import { conditionText, LevelChip, type ConditionShape } from './alarm-levels.js';
import { Message, useList } from './admin-common.js';
import { mayChange, mayCreate, useMe } from '../me.js';
import { ruleTargetText, useProfiles } from '../profiles.js';

const rx = texts({
  levels: ['Level', 'Levels'],
  levelsHelp: [
    'Satu alarm per bahaya: tingkatnya naik dan turun mengikuti data. Level disusun dari yang terendah (mis. Waspada, Siaga, Awas).',
    'One alarm per hazard: its level rises and falls with the data. Levels go from the lowest up (e.g. Waspada, Siaga, Awas).',
  ],
  addLevel: ['Tambah level', 'Add a level'],
  removeLevel: ['Hapus level', 'Remove level'],
  clearAt: ['Turun bila (opsional)', 'Falls below (optional)'],
  clearHelp: ['Histeresis: level turun hanya setelah nilai melewati ambang ini.', 'Hysteresis: the level falls only once the value passes this threshold.'],
  edit: ['Ubah', 'Edit'],
  cancel: ['Batal', 'Cancel'],
  editing: ['Mengubah aturan', 'Editing rule'],
  device: ['Perangkat', 'Device'],
  deviceType: ['Jenis perangkat', 'Device type'],
  assetType: ['Jenis aset', 'Asset type'],
  gt: ['lebih dari (>)', 'above (>)'],
  gte: ['paling sedikit (≥)', 'at least (≥)'],
  lt: ['kurang dari (<)', 'below (<)'],
  lte: ['paling banyak (≤)', 'at most (≤)'],
  rate_gt: ['naik lebih cepat dari (/menit)', 'rising faster than (/min)'],
  silence: ['tidak ada data selama (menit)', 'no data for (minutes)'],
  disabled: ['nonaktif', 'disabled'],
});

const OPS = ['gt', 'gte', 'lt', 'lte', 'rate_gt', 'silence'] as const;
type Op = (typeof OPS)[number];
/** In rank order; Waspada, Siaga and Awas first as the levels most rules use. */
const SEVERITY_CHOICES = [...WARNING_LEVELS, ...GENERAL_SEVERITIES];
/** The text of each kind of target the contract names. */
const TARGET_KINDS = { device: 'device', device_type: 'deviceType', asset_type: 'assetType' } as const satisfies Record<TargetKind, string>;
/** A level as the form sends it (the server checks it whole and says what is wrong). */
type LevelBody = NonNullable<RuleBody['levels']>[number];
interface LevelRow {
  severity: Severity;
  op: string;
  threshold: string;
  clear: string;
}

/** "3,5" (Indonesian) or "3.5": a number. */
const toNumber = (text: string) => Number(text.trim().replace(',', '.'));
const hasThresholdClear = (op: string) => op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte';

function toLevel(row: LevelRow): LevelBody {
  const condition: ConditionShape = row.op === 'silence' ? { op: 'silence', minutes: toNumber(row.threshold) } : { op: row.op, value: toNumber(row.threshold) };
  // A level above a threshold falls below its clear value, one below a threshold rises above it.
  const clearCondition = hasThresholdClear(row.op) && row.clear.trim() !== '' ? { op: row.op.startsWith('g') ? 'lt' : 'gt', value: toNumber(row.clear) } : null;
  return { severity: row.severity, condition, clearCondition };
}

function toRow(level: Level): LevelRow {
  const c = level.condition;
  const clear = level.clearCondition;
  return { severity: level.severity, op: c.op, threshold: String(c.op === 'silence' ? c.minutes : 'value' in c ? c.value : ''), clear: clear && 'value' in clear ? String(clear.value) : '' };
}

/** The severity a <select> of SEVERITY_CHOICES names (it offers nothing else). */
const chosenSeverity = (value: string, before: Severity): Severity => SEVERITY_CHOICES.find((s) => s === value) ?? before;

/** The next level up the BNPB scale, for a new row. */
function nextSeverity(rows: LevelRow[]): Severity {
  const last = rows[rows.length - 1]?.severity;
  return last === 'waspada' ? 'siaga' : last === 'siaga' ? 'awas' : last === 'awas' ? 'critical' : 'siaga';
}

const EMPTY = { name: '', kind: 'device_type', value: 'river_gauge', key: 'waterLevel', minutes: '10' };
const FIRST_ROWS: LevelRow[] = [{ severity: 'waspada', op: 'gte', threshold: '3.5', clear: '' }];

export function Rules() {
  const [rules, reload] = useList<Rule>('/rules');
  // Names, not ids and keys, in the list; a viewer sees no form and no buttons (the API refuses them).
  const me = useMe();
  useProfiles();
  const [devices] = useList<{ id: string; name: string }>('/devices');
  const deviceName = (id: string) => devices?.find((d) => d.id === id)?.name;
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState(EMPTY);
  const [rows, setRows] = useState<LevelRow[]>(FIRST_ROWS);

  const reset = () => {
    setEditing(null);
    setForm(EMPTY);
    setRows(FIRST_ROWS);
  };
  const edit = (r: Rule) => {
    setEditing(r.id);
    setForm({ name: r.name, kind: r.target.kind, value: r.target.value, key: r.key, minutes: String(r.durationSeconds / 60) });
    setRows(r.levels.map(toRow));
    setError(null);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { name: form.name, target: { kind: form.kind, value: form.value }, key: form.key, durationSeconds: toNumber(form.minutes || '0') * 60, levels: rows.map(toLevel) };
    try {
      await api(editing ? 'PATCH' : 'POST', editing ? `/rules/${editing}` : '/rules', body);
      setError(null);
      reset();
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const setRow = (i: number, patch: Partial<LevelRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const input = (name: keyof typeof EMPTY, label: string, extra: Record<string, unknown> = {}) => html`
    <label>${label}<input name=${name} value=${form[name]} onInput=${(e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })} ...${extra} /></label>
  `;
  const targetLabel = (kind: string) => (kind in TARGET_KINDS ? rx(TARGET_KINDS[kind as keyof typeof TARGET_KINDS]) : kind);

  return html`
    <section class="card">
      <form class="inline rule-form" hidden=${!mayCreate(me)} onSubmit=${submit} aria-label=${editing ? rx('editing') : t('rules')}>
        ${editing && html`<p class="muted small">${rx('editing')}: <strong>${form.name}</strong></p>`}
        ${input('name', t('name'), { required: true })}
        <label>${t('target')}<select name="kind" value=${form.kind} onChange=${(e: Event) => setForm({ ...form, kind: (e.target as HTMLSelectElement).value })}>
          ${Object.keys(TARGET_KINDS).map((k) => html`<option value=${k}>${targetLabel(k)}</option>`)}
        </select></label>
        ${input('value', '', { 'aria-label': targetLabel(form.kind), required: true })} ${input('key', t('key'), { required: true })}
        ${input('minutes', t('durationMin'), { inputMode: 'decimal' })}
        <fieldset class="level-rows">
          <legend>${rx('levels')}</legend>
          <p class="muted small">${rx('levelsHelp')}</p>
          ${rows.map(
            (row, i) => html`<div class="level-row" data-level=${i}>
              <label>${t('severity')}<select name=${`severity-${i}`} value=${row.severity} onChange=${(e: Event) => setRow(i, { severity: chosenSeverity((e.target as HTMLSelectElement).value, row.severity) })}>
                ${SEVERITY_CHOICES.map((s) => html`<option value=${s}>${severityName(s)}</option>`)}
              </select></label>
              <label>${t('condition')}<select name=${`op-${i}`} value=${row.op} onChange=${(e: Event) => setRow(i, { op: (e.target as HTMLSelectElement).value })}>
                ${OPS.map((o: Op) => html`<option value=${o}>${rx(o)}</option>`)}
              </select></label>
              <label>${t('threshold')}<input name=${`threshold-${i}`} value=${row.threshold} required inputMode="decimal" onInput=${(e: Event) => setRow(i, { threshold: (e.target as HTMLInputElement).value })} /></label>
              ${hasThresholdClear(row.op) &&
              html`<label title=${rx('clearHelp')}>${rx('clearAt')}<input name=${`clear-${i}`} value=${row.clear} inputMode="decimal" onInput=${(e: Event) => setRow(i, { clear: (e.target as HTMLInputElement).value })} /></label>`}
              <button type="button" class="ghost" disabled=${rows.length === 1} onClick=${() => setRows(rows.filter((_, j) => j !== i))}>${rx('removeLevel')}</button>
            </div>`,
          )}
          <div>
            <button type="button" class="ghost" disabled=${rows.length >= MAX_LEVELS} onClick=${() => setRows([...rows, { ...rows[rows.length - 1]!, severity: nextSeverity(rows), threshold: '', clear: '' }])}>+ ${rx('addLevel')}</button>
          </div>
        </fieldset>
        <button type="submit">${editing ? t('save') : t('create')}</button>
        ${editing && html`<button type="button" class="ghost" onClick=${reset}>${rx('cancel')}</button>`}
      </form>
      <${Message} error=${error} />
      <table>
        <thead><tr><th>${t('name')}</th><th>${t('target')}</th><th>${rx('levels')}</th><th>${t('durationMin')}</th><th></th></tr></thead>
        <tbody>
          ${(rules ?? []).map(
            (r) => html`<tr data-rule=${r.id}>
              <td>${r.name}${r.enabled ? '' : html` <span class="muted small">(${rx('disabled')})</span>`}</td>
              <td title=${r.target.value}>${ruleTargetText(r.target, deviceName)}</td>
              <td>${r.levels.map((l) => html`<div class="small"><${LevelChip} severity=${l.severity} /> ${conditionText(l.condition, r.key, r.target.kind === 'device_type' ? r.target.value : null)}</div>`)}</td>
              <td>${r.durationSeconds > 0 ? formatNumber(r.durationSeconds / 60) : '—'}</td>
              <td class="row">
                ${mayChange(me, r.opdId) && html`<button class="ghost" onClick=${() => edit(r)}>${rx('edit')}</button>
                <button class="ghost danger" onClick=${async () => confirm(t('confirmDelete')) && (await api('DELETE', `/rules/${r.id}`), reload())}>${t('delete')}</button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>
  `;
}
