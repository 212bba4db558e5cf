/** Kebijakan eskalasi: per alarm severity, the levels (minutes, whom to contact) an OPD follows, editable by its writers. */
import { GENERAL_SEVERITIES, SEVERITY_RANK, WARNING_LEVELS } from '../../../src/modules/alarms/alarms.constants.ts';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { severityName, t } from '../i18n.js';
import { Message } from './admin-common.js';
import { dx, positionName, POSITIONS, useOpdChoice, usePeople, type Opd } from './duty-common.js';
import { MAX_LEVELS, REGION_WIDE_POSITIONS } from '../../../src/modules/duty/duty.constants.ts';
import type { EscalationLevel, EscalationTarget, PolicyListView } from '../../../src/modules/duty/duty.contract.ts';

type Target = EscalationTarget;
type Level = EscalationLevel;
type PolicyList = PolicyListView;
/** `any` (the fallback), then the severities that alarm someone (rank above 0), BNPB's levels first. */
const SEVERITIES = ['any', ...[...WARNING_LEVELS, ...GENERAL_SEVERITIES].filter((s) => SEVERITY_RANK[s] > 0)];

/** A target as a <select> value and back: the value is never shown, its label is. */
const encode = (x: Target) => (x.kind === 'duty' ? 'duty' : x.kind === 'user' ? `user:${x.userId}` : `position:${x.position}${x.opdId ? `:${x.opdId}` : ''}`);
function decode(value: string): Target {
  const [kind, a, b] = value.split(':');
  if (kind === 'user') return { kind: 'user', userId: a! };
  const position = POSITIONS.find((p) => p === a);
  if (kind === 'position' && position) return { kind: 'position', position, ...(b && { opdId: b }) };
  return { kind: 'duty' };
}

export function EscalationPolicies() {
  const { opds, opdId, setOpdId, canWrite } = useOpdChoice();
  const people = usePeople(opdId, canWrite);
  const [list, setList] = useState<PolicyList | null>(null);
  const [editing, setEditing] = useState<{ severity: string; levels: Level[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    if (opdId) api<PolicyList>('GET', `/opds/${opdId}/escalation-policies`).then(setList, (e: Error) => setError(e.message));
  };
  useEffect(load, [opdId]);

  const names = new Map([...(list?.people ?? []), ...people].map((p) => [p.id, p.name]));
  const opdCode = (id: string) => opds.find((o: Opd) => o.id === id)?.code ?? '';
  const label = (x: Target) =>
    x.kind === 'duty' ? dx('duty') : x.kind === 'user' ? (names.get(x.userId) ?? '—') : `${positionName(x.position)} (${x.opdId ? opdCode(x.opdId) : REGION_WIDE_POSITIONS.includes(x.position) ? dx('region') : dx('thisOpd')})`;
  const options: [string, string][] = [
    ['duty', dx('duty')],
    ...POSITIONS.map((p): [string, string] => [`position:${p}`, label({ kind: 'position', position: p })]),
    ...people.map((p): [string, string] => [`user:${p.id}`, p.name]),
  ];
  const effective = (severity: string) => {
    const own = list?.policies.find((p) => p.severity === severity);
    if (own) return { levels: own.levels, source: dx('own'), own: true };
    const any = list?.policies.find((p) => p.severity === 'any');
    if (any) return { levels: any.levels, source: dx('viaAny'), own: false };
    return { levels: list?.defaultLevels ?? [], source: dx('viaDefault'), own: false };
  };
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      setEditing(null);
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const change = (i: number, level: Level) => editing && setEditing({ ...editing, levels: editing.levels.map((l, j) => (j === i ? level : l)) });

  return html`
    <section class="card duty">
      <label>${dx('opd')}<select name="opd" value=${opdId} onChange=${(e: Event) => setOpdId((e.target as HTMLSelectElement).value)}>
        ${opds.map((o) => html`<option value=${o.id}>${o.code} — ${o.name}</option>`)}
      </select></label>
      <p class="muted small">${dx('defaultNote')}</p>
      <${Message} error=${error} />
      <table class="duty-policies">
        <thead><tr><th>${dx('severity')}</th><th>${dx('level')}</th><th></th></tr></thead>
        <tbody>${SEVERITIES.map((severity) => {
          const e = effective(severity);
          return html`<tr data-severity=${severity}>
            <td>${severity === 'any' ? dx('any') : severityName(severity)}<div class="muted small">${e.source}</div></td>
            <td><ol class="levels">${e.levels.map((l) => html`<li>${l.afterMinutes} ${dx('minutes')}: ${l.targets.map(label).join('; ')}</li>`)}</ol></td>
            <td class="row">${canWrite && html`<button class="ghost" onClick=${() => setEditing({ severity, levels: e.levels.map((l) => ({ ...l, targets: [...l.targets] })) })}>${dx('edit')}</button>`}
              ${canWrite && e.own && html`<button class="ghost danger" onClick=${() => run(() => api('DELETE', `/opds/${opdId}/escalation-policies/${severity}`))}>${dx('reset')}</button>`}</td>
          </tr>`;
        })}</tbody>
      </table>
      ${editing &&
      html`<form class="card policy-editor" onSubmit=${(ev: Event) => {
        ev.preventDefault();
        void run(() => api('PUT', `/opds/${opdId}/escalation-policies/${editing.severity}`, { levels: editing.levels }));
      }}>
        <h3>${editing.severity === 'any' ? dx('any') : severityName(editing.severity)}</h3>
        ${editing.levels.map(
          (l, i) => html`<div class="row wrap level">
            <strong>${dx('level')} ${i + 1}</strong>
            <label>${dx('afterMinutes')}<input type="number" min="0" max="10080" value=${l.afterMinutes} onInput=${(ev: Event) => change(i, { ...l, afterMinutes: Number((ev.target as HTMLInputElement).value) })} /></label>
            ${l.targets.map((x, j) => html`<span class="chip">${label(x)} <button type="button" class="link" aria-label=${t('delete')} onClick=${() => change(i, { ...l, targets: l.targets.filter((_, k) => k !== j) })}>✕</button></span>`)}
            <select aria-label=${dx('addTarget')} value="" onChange=${(ev: Event) => {
              const value = (ev.target as HTMLSelectElement).value;
              if (value) change(i, { ...l, targets: [...l.targets, decode(value)] });
            }}><option value="">${dx('addTarget')}</option>${options.filter(([v]) => !l.targets.some((x) => encode(x) === v)).map(([v, text]) => html`<option value=${v}>${text}</option>`)}</select>
            <button type="button" class="ghost danger" onClick=${() => setEditing({ ...editing, levels: editing.levels.filter((_, k) => k !== i) })}>${t('delete')}</button>
          </div>`,
        )}
        <div class="row">
          ${editing.levels.length < MAX_LEVELS && html`<button type="button" class="ghost" onClick=${() => setEditing({ ...editing, levels: [...editing.levels, { afterMinutes: (editing.levels.at(-1)?.afterMinutes ?? -15) + 15, targets: [{ kind: 'duty' }] }] })}>${dx('addLevel')}</button>`}
          <button type="submit">${t('save')}</button><button type="button" class="ghost" onClick=${() => setEditing(null)}>${dx('cancel')}</button>
        </div>
      </form>`}
    </section>
  `;
}
