/** The Baseline of a year: computed from the previous evaluations, or set by hand with a reason (and who did). */
import type { Evaluation } from '../../../src/modules/masterplan/evaluation/evaluation.contract.js';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { errorText, Message, notNumberText, num, numIn, parseNum, tx } from './masterplan-common.js';
import { ex } from './masterplan-evaluation-texts.js';

export function BaselineCard({ year, data, reviewer, onChanged }: { year: number; data: Evaluation | null; reviewer: boolean; onChanged: () => void }) {
  const b = data?.baseline ?? null;
  const [score, setScore] = useState('');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  useEffect(() => {
    setScore(b?.override ? numIn(b.override.score) : '');
    setReason(b?.override?.reason ?? '');
  }, [data]);
  const send = async (body: { score: number | null; reason?: string }) => {
    try {
      await api('PUT', `/masterplan/evaluation/${year}/baseline`, body);
      setMsg({ ok: tx('saved') });
      onChanged();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  // a missing reason is refused by the server, in the screen's language
  const save = (e: Event) => {
    e.preventDefault();
    const n = parseNum(score);
    if (n === null || Number.isNaN(n)) return setMsg({ error: notNumberText(ex('override'), score) });
    return send({ score: n, reason });
  };
  const reset = () => send({ score: null });
  return html`
    <div class="card" data-testid="eval-baseline">
      <h2>${ex('baseline')}</h2>
      <p class="mp-baseline-score"><strong data-testid="baseline-score">${num(b?.score ?? null)}</strong>
        <span class="small" data-testid="baseline-source">${
          !b ? '' : b.override ? `${ex('overriddenBy')} ${b.override.by}: ${b.override.reason}` : b.source === 'computed' ? ex('computed') : ex('noBaseline')
        }</span></p>
      ${b?.previous && html`<p class="small muted">P = ${num(b.previous.index)} (${b.previous.year})${b.beforePrevious ? html`, Q = ${num(b.beforePrevious.index)} (${b.beforePrevious.year})` : ''} → ${ex('computed')} ${num(b.computed)}</p>`}
      <p class="small muted">${ex('baselineFormula')}</p>
      <${Message} ...${msg} />
      ${reviewer &&
      html`<form class="inline" onSubmit=${save}>
        <label>${ex('override')} (0–5)<input class="num-in" name="baselineOverride" inputmode="decimal" required value=${score} onInput=${(e: Event) => setScore((e.target as HTMLInputElement).value)} /></label>
        <label>${ex('reason')}<input name="baselineReason" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">${ex('saveBaseline')}</button>
        ${b?.override && b.computed !== null && html`<button type="button" class="ghost" onClick=${reset}>${ex('backToComputed')}</button>`}
      </form>`}
    </div>
  `;
}
