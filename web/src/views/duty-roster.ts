/** Jadwal piket: an OPD's week as a grid (days × shifts, names, swaps applied), adding and removing shifts, recording swaps. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Message, useForm } from './admin-common.js';
import { addDays, clockTime, dateTime, dx, useOpdChoice, usePeople, weekdayName, WEEKDAYS, zonedMs } from './duty-common.js';
import type { DutyPersonView, SwapView, WeekView } from '../../../src/modules/duty/duty.contract.ts';

type Person = DutyPersonView;
type Week = WeekView;
type Swap = SwapView;

export function DutyRoster() {
  const { opds, opdId, setOpdId, canWrite } = useOpdChoice();
  const people = usePeople(opdId, canWrite);
  const [date, setDate] = useState<string | null>(null);
  const [week, setWeek] = useState<Week | null>(null);
  const [swaps, setSwaps] = useState<Swap[]>([]);
  const [error, setError] = useState<string | null>(null);
  const shiftForm = useForm({ weekday: '1', start: '07:00', end: '15:00', userId: '' });
  const swapForm = useForm({ startsAt: '', endsAt: '', userId: '', replacesUserId: '', note: '' });

  const load = () => {
    if (!opdId) return;
    api<Week>('GET', `/opds/${opdId}/duty/week${date ? `?date=${date}` : ''}`).then((w) => {
      setWeek(w);
      api<Swap[]>('GET', `/opds/${opdId}/duty/swaps?from=${zonedMs(`${w.weekStart}T00:00`, w.timezone)}&to=${zonedMs(`${addDays(w.weekStart, 7)}T00:00`, w.timezone)}`).then(setSwaps, () => setSwaps([]));
    }, (e: Error) => setError(e.message));
  };
  useEffect(load, [opdId, date]);

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const addShift = (e: Event) => {
    e.preventDefault();
    const v = shiftForm.values;
    void run(() => api('POST', `/opds/${opdId}/duty/shifts`, { weekday: Number(v.weekday), start: v.start, end: v.end, userId: v.userId || people[0]?.id }));
  };
  const addSwap = (e: Event) => {
    e.preventDefault();
    const v = swapForm.values;
    const zone = week?.timezone ?? 'Asia/Jakarta';
    void run(async () => {
      await api('POST', `/opds/${opdId}/duty/swaps`, { startsAt: zonedMs(v.startsAt, zone), endsAt: zonedMs(v.endsAt, zone), userId: v.userId || people[0]?.id, replacesUserId: v.replacesUserId || null, note: v.note });
      swapForm.reset();
    });
  };
  const select = <T extends Record<string, string>>(form: { values: T; setValues: (v: T) => void }, name: keyof T & string, label: string, options: [string, string][]) => html`
    <label>${label}<select name=${name} value=${form.values[name]} onChange=${(e: Event) => form.setValues({ ...form.values, [name]: (e.target as HTMLSelectElement).value })}>
      ${options.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
    </select></label>
  `;
  const zone = week?.timezone ?? 'Asia/Jakarta';
  const who = (p: Person) => html`<span data-swap=${p.swapId ? 'yes' : 'no'}>${p.name}${p.replacedUserName ? html` <span class="muted small">(${dx('forSwap')} ${p.replacedUserName}, ${clockTime(p.from, zone)}–${clockTime(p.until, zone)})</span>` : ''}</span>`;

  return html`
    <section class="card duty">
      <div class="row wrap">
        <label>${dx('opd')}<select name="opd" value=${opdId} onChange=${(e: Event) => setOpdId((e.target as HTMLSelectElement).value)}>
          ${opds.map((o) => html`<option value=${o.id}>${o.code} — ${o.name}</option>`)}
        </select></label>
        <button class="ghost" onClick=${() => week && setDate(addDays(week.weekStart, -7))}>${dx('prevWeek')}</button>
        <button class="ghost" onClick=${() => setDate(null)}>${dx('thisWeek')}</button>
        <button class="ghost" onClick=${() => week && setDate(addDays(week.weekStart, 7))}>${dx('nextWeek')}</button>
      </div>
      <${Message} error=${error} />
      ${week &&
      html`<div class="scroll"><table class="duty-grid" data-testid="week-grid">
        <thead><tr>${week.days.map((d) => html`<th>${weekdayName(d.weekday)}<div class="muted small">${d.date.split('-').reverse().join('/')}</div></th>`)}</tr></thead>
        <tbody><tr>
          ${week.days.map(
            (d) => html`<td data-date=${d.date}>
              ${d.shifts.length === 0 && d.added.length === 0 && html`<span class="muted small">—</span>`}
              ${d.shifts.map(
                (s) => html`<div class="duty-shift" data-shift=${s.shiftId}>
                  <strong>${s.start.replace(':', '.')}–${s.end.replace(':', '.')}</strong>
                  <div>${s.spans.map((p, i) => html`${i > 0 ? ', ' : ''}${who(p)}`)}</div>
                  ${canWrite && html`<button class="ghost danger small" aria-label=${`${dx('removeShift')} ${s.userName}`} onClick=${() => confirm(t('confirmDelete')) && run(() => api('DELETE', `/opds/${opdId}/duty/shifts/${s.shiftId}`))}>✕</button>`}
                </div>`,
              )}
              ${d.added.map((p) => html`<div class="duty-shift added">${clockTime(p.from, zone)}–${clockTime(p.until, zone)} ${p.name} <span class="muted small">${dx('added')}</span></div>`)}
            </td>`,
          )}
        </tr></tbody>
      </table></div>`}
      ${canWrite
        ? html`
            <h3>${dx('addShift')}</h3>
            <form class="inline" onSubmit=${addShift} data-testid="add-shift">
              ${select(shiftForm, 'weekday', dx('day'), WEEKDAYS.map((_, i) => [String(i + 1), weekdayName(i + 1)]))}
              ${shiftForm.field('start', dx('start'), { type: 'time', required: true })} ${shiftForm.field('end', dx('end'), { type: 'time', required: true })}
              ${select(shiftForm, 'userId', dx('person'), people.map((p) => [p.id, p.name]))}
              <button type="submit">${dx('addShift')}</button>
            </form>
            <h3>${dx('swapTitle')}</h3>
            <form class="inline" onSubmit=${addSwap}>
              ${swapForm.field('startsAt', dx('from'), { type: 'datetime-local', required: true })} ${swapForm.field('endsAt', dx('to'), { type: 'datetime-local', required: true })}
              ${select(swapForm, 'userId', dx('person'), people.map((p) => [p.id, p.name]))}
              ${select(swapForm, 'replacesUserId', dx('replaces'), [['', `— ${dx('added')}`], ...people.map((p): [string, string] => [p.id, p.name])])}
              ${swapForm.field('note', dx('note'), { maxLength: 500 })}
              <button type="submit">${dx('recordSwap')}</button>
            </form>`
        : html`<p class="muted small">${dx('readOnly')}</p>`}
      <h3>${dx('swaps')}</h3>
      ${swaps.length === 0 ? html`<p class="muted small">${dx('noSwaps')}</p>` : html`<ul class="duty-swaps">${swaps.map(
        (w) => html`<li>${dateTime(w.startsAt, zone)} – ${dateTime(w.endsAt, zone)}: <strong>${w.userName}</strong> ${w.replacesUserName ? `${dx('forSwap')} ${w.replacesUserName}` : dx('added')}${w.note ? ` · ${w.note}` : ''}
          ${canWrite && html`<button class="ghost danger small" onClick=${() => confirm(t('confirmDelete')) && run(() => api('DELETE', `/opds/${opdId}/duty/swaps/${w.id}`))}>${t('delete')}</button>`}</li>`,
      )}</ul>`}
    </section>
  `;
}
