/**
 * A rule as the editor holds it (texts as typed) and the body it sends: the
 * numbers read in the user's language, and what is plainly wrong found before
 * sending (the server checks it all again and names the field).
 */
import type { Severity } from '../../../src/modules/alarms/alarms.constants.ts';
import type { TargetKind } from '../../../src/modules/rules/rules.constants.ts';
import type { Level, Rule, RuleBody } from '../../../src/modules/rules/rules.contract.ts';
import { decimalText, parseDecimal, rx } from './admin-rules-words.js';

/** The conditions the editor offers, in words (rules.contract.ts has the rest, which the API still takes). */
export const OPS = ['gt', 'gte', 'lt', 'lte', 'rate_gt', 'silence'] as const;
export type Op = (typeof OPS)[number];
export const isOp = (op: string): op is Op => (OPS as readonly string[]).includes(op);
/** Conditions above a threshold clear below it (and the reverse): which way the clear field reads. */
export const opensAbove = (op: string) => op === 'gt' || op === 'gte' || op === 'rate_gt';
export const hasClear = (op: string) => op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte';

export interface LevelRow {
  severity: Severity;
  op: Op;
  threshold: string;
  clear: string;
}

/** An action as the API takes it (an open object per kind). */
type RuleAction = NonNullable<RuleBody['actions']>[number];

export type ActionDraft =
  | { type: 'incident'; opdId: string; categoryCode: string; minSeverity: string }
  | { type: 'webhook'; url: string; secret: string; hasSecret: boolean; on: string[]; allowPrivateNetwork: boolean }
  | { type: 'command'; deviceId: string; command: string; level: string; confirm: boolean; minSeverity: string }
  /** a kind the editor does not know: sent back as it came */
  | { type: 'other'; raw: RuleAction };

export interface Draft {
  name: string;
  enabled: boolean;
  kind: TargetKind;
  /** the device type (kind device_type), or the chosen device's (kind device) */
  type: string;
  deviceId: string;
  assetType: string;
  key: string;
  opdId: string;
  minutes: string;
  levels: LevelRow[];
  actions: ActionDraft[];
}

export function emptyDraft(type: string, key: string): Draft {
  return { name: '', enabled: true, kind: 'device_type', type, deviceId: '', assetType: '', key, opdId: '', minutes: '0', levels: [{ severity: 'waspada', op: 'gte', threshold: '', clear: '' }], actions: [] };
}

function levelRow(level: Level): LevelRow {
  const c = level.condition;
  const clear = level.clearCondition;
  const threshold = c.op === 'silence' ? decimalText(c.minutes) : 'value' in c ? decimalText(c.value) : '';
  return { severity: level.severity, op: isOp(c.op) ? c.op : 'gte', threshold, clear: clear && 'value' in clear ? decimalText(clear.value) : '' };
}

/** The command chosen, as one select's value: its method, and its fixed params where buttons share a method. */
export const commandChoice = (method: string, params: unknown) => JSON.stringify([method, params ?? null]);

function actionDraft(a: Rule['actions'][number]): ActionDraft {
  const v = a as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  if (a.type === 'incident') return { type: 'incident', opdId: text(v.opdId), categoryCode: text(v.categoryCode), minSeverity: text(v.minSeverity) };
  if (a.type === 'webhook') {
    const on = Array.isArray(v.on) ? v.on.filter((x): x is string => typeof x === 'string') : ['opened', 'level_changed', 'cleared'];
    return { type: 'webhook', url: text(v.url), secret: '', hasSecret: v.hasSecret === true, on, allowPrivateNetwork: v.allowPrivateNetwork === true };
  }
  if (a.type === 'command') {
    const level = typeof v.params === 'number' ? decimalText(v.params) : '';
    return { type: 'command', deviceId: text(v.deviceId), command: commandChoice(text(v.method), typeof v.params === 'number' ? null : v.params), level, confirm: v.confirm !== false, minSeverity: text(v.minSeverity) };
  }
  return { type: 'other', raw: a };
}

export function fromRule(r: Rule, typeOfDevice: (id: string) => string | undefined): Draft {
  return {
    name: r.name,
    enabled: r.enabled,
    kind: r.target.kind,
    type: r.target.kind === 'device_type' ? r.target.value : r.target.kind === 'device' ? (typeOfDevice(r.target.value) ?? '') : '',
    deviceId: r.target.kind === 'device' ? r.target.value : '',
    assetType: r.target.kind === 'asset_type' ? r.target.value : '',
    key: r.key,
    opdId: r.opdId ?? '',
    minutes: decimalText(r.durationSeconds / 60),
    levels: r.levels.map(levelRow),
    actions: r.actions.map(actionDraft),
  };
}

/** What is plainly wrong, by field (the names the server uses: levels[0].condition.value …). */
export type Problems = Record<string, string>;

/**
 * The body to send and what is wrong with it. `commandOf` tells a chosen
 * command's method and params, and whether it takes a level (the profiles know).
 */
export function toBody(d: Draft, commandOf: (deviceId: string, choice: string) => { method: string; params: unknown; takesLevel: boolean } | null): { body: RuleBody; problems: Problems } {
  const problems: Problems = {};
  const number = (text: string, field: string, optional = false): number | null => {
    if (optional && text.trim() === '') return null;
    const n = parseDecimal(text);
    if (Number.isNaN(n)) problems[field] = rx('notANumber');
    return n;
  };
  const levels = d.levels.map((row, i) => {
    const at = `levels[${i}]`;
    const value = number(row.threshold, `${at}.condition.value`) ?? Number.NaN;
    if (row.op === 'silence') return { severity: row.severity, condition: { op: 'silence', minutes: value } };
    const clear = hasClear(row.op) ? number(row.clear, `${at}.clearCondition`, true) : null;
    return { severity: row.severity, condition: { op: row.op, value }, clearCondition: clear === null ? null : { op: opensAbove(row.op) ? 'lt' : 'gt', value: clear } };
  });
  const minutes = number(d.minutes === '' ? '0' : d.minutes, 'durationSeconds') ?? 0;
  const target = d.kind === 'device' ? d.deviceId : d.kind === 'asset_type' ? d.assetType : d.type;
  if (target === '') problems['target.value'] = rx(d.kind === 'device' ? 'chooseDevice' : 'deviceType');
  // Each kind has its own fields: the contract types an action as an open object with a type.
  const actions = d.actions.map((a, i): RuleAction => {
    if (a.type === 'other') return a.raw;
    if (a.type === 'incident') {
      const incident = { type: 'incident', opdId: a.opdId, ...(a.categoryCode && { categoryCode: a.categoryCode }), ...(a.minSeverity && { minSeverity: a.minSeverity }) };
      return incident;
    }
    if (a.type === 'webhook') {
      const webhook = { type: 'webhook', url: a.url.trim(), ...(a.secret !== '' && { secret: a.secret }), on: a.on, allowPrivateNetwork: a.allowPrivateNetwork };
      return webhook;
    }
    const command = commandOf(a.deviceId, a.command);
    const level = command?.takesLevel ? number(a.level, `actions[${i}]`) : null;
    const sent = { type: 'command', deviceId: a.deviceId, method: command?.method ?? '', params: level ?? command?.params ?? null, confirm: a.confirm, ...(a.minSeverity && { minSeverity: a.minSeverity }) };
    return sent;
  });
  const body: RuleBody = {
    name: d.name.trim(),
    enabled: d.enabled,
    target: { kind: d.kind, value: target },
    key: d.key,
    opdId: d.opdId === '' ? null : d.opdId,
    levels,
    durationSeconds: Math.round(minutes * 60),
    actions,
  };
  return { body, problems };
}
