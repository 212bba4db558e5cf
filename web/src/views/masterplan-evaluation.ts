/** Kominfo's yearly evaluation (monev): weights, the Baseline, items (pre-filled ones with their figures) with evidence, the impact survey, the index per year and per dimension, the pack. */
import type { Evaluation as EvaluationAnswer, EvaluationDimension } from '../../../src/modules/masterplan/evaluation/evaluation.contract.js';
import { AUTO_NAMES, type AutoKey } from '../../../src/modules/masterplan/evaluation/evaluation.constants.ts';
import { EVALUATION_DIMENSIONS as EVAL_DIMS } from '../../../src/modules/masterplan/masterplan.constants.ts';
import { useEffect, useState } from 'preact/hooks';
import { api, download, upload } from '../api.js';
import { html } from '../html.js';
import { getLang } from '../i18n.js';
import { ChartBox, dimName, errorText, L, Message, notNumberText, num, numIn, parseNum, thisYear, tx, useApi, useFramework, useMe, useStanding } from './masterplan-common.js';
import { BaselineCard } from './masterplan-evaluation-baseline.js';
import { Survey } from './masterplan-evaluation-survey.js';
import { ex } from './masterplan-evaluation-texts.js';

type EvalDim = EvaluationDimension;
type Evidence = EvaluationAnswer['items'][number]['evidence'][number];
type Auto = EvaluationAnswer['items'][number]['auto'];
interface Item {
  id?: string;
  dimension: EvalDim;
  name: string;
  smartDimension: string | null;
  score: number | null;
  /** the score as typed, in the screen's language (*1,25*) */
  scoreText?: string;
  note: string;
  evidence?: Evidence[];
  auto?: Auto;
  /** why a pre-filled score was changed */
  reason?: string;
}
const isAutoKey = (k: string): k is AutoKey => k in AUTO_NAMES;
const itemName = (it: Item) => (it.auto && isAutoKey(it.auto.key) ? L(AUTO_NAMES[it.auto.key].id, AUTO_NAMES[it.auto.key].en) : it.name);
const changed = (it: Item) => !!it.auto && (it.score === null || it.auto.computedScore === null ? it.score !== it.auto.computedScore : Math.abs(it.score - it.auto.computedScore) >= 0.005);
const dateText = (ms: number) => new Date(ms).toLocaleDateString(getLang() === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' });
type EvaluationData = EvaluationAnswer;

export function Evaluation() {
  const fw = useFramework();
  const me = useMe();
  const standing = useStanding();
  const history = useApi<{ year: number; index: number }[]>('/masterplan/evaluation');
  const [picked, setPicked] = useState<number | null>(null);
  const assessed = (history.data ?? []).map((h) => h.year).sort((a, b) => a - b);
    // The current year unless another is chosen: once a year has been evaluated the server starts it from the previous evaluation.
  const year = picked ?? (history.data || history.error ? thisYear() : null);
  const ev = useApi<EvaluationData>(year === null ? null : `/masterplan/evaluation/${year}`);
  const [weights, setWeights] = useState<Record<EvalDim, string>>({ baseline: '', output: '', outcome: '', impact: '', quickWin: '' });
  const [items, setItems] = useState<Item[]>([]);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const admin = me?.role === 'admin';
  const reviewer = !!standing?.reviewer;
  useEffect(() => {
    // a year the server has just started from the previous one joins the years assessed
    if (ev.data?.startedFrom != null && history.data && !history.data.some((h) => h.year === ev.data?.year)) history.reload();
  }, [ev.data]);
  useEffect(() => {
    const w = ev.data?.weights;
    setWeights(Object.fromEntries(EVAL_DIMS.map((k) => [k, w ? numIn(w[k]) : ''])) as Record<EvalDim, string>);
    setItems((ev.data?.items ?? []).map((i) => ({ ...i, scoreText: numIn(i.score), reason: i.auto?.reason ?? '' })));
  }, [ev.data]);
  const reloadAll = () => {
    ev.reload();
    history.reload();
  };
  const sum = EVAL_DIMS.reduce((s, k) => s + (parseNum(weights[k]) || 0), 0);
  const sumOk = Math.abs(sum - 100) < 1e-6;
  // Nothing typed yet: a hint, not an error.
  const untouched = EVAL_DIMS.every((k) => weights[k].trim() === '');
  const empty = !!ev.data && ev.data.weights === null && ev.data.items.length === 0;
  const previous = year === null ? null : ([...assessed].reverse().find((y) => y < year) ?? null);
  /** A change sent to the server: "saved" and everything read again, or the refusal in the screen's language. */
  const send = async (method: string, path: string, body?: unknown) => {
    try {
      await api(method, `/masterplan/evaluation/${year}${path}`, body);
      setMsg({ ok: tx('saved') });
      reloadAll();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const startFrom = () => send('POST', '/start');
  const prefill = () => send('POST', '/prefill');
  const saveWeights = async (e: Event) => {
    e.preventDefault();
    const wrong = EVAL_DIMS.find((k) => Number.isNaN(parseNum(weights[k])));
    if (wrong) return setMsg({ error: notNumberText(ex(wrong), weights[wrong]) });
    if (!sumOk) return setMsg({ error: ex('mustBe100') });
    await send('PUT', '', { weights: Object.fromEntries(EVAL_DIMS.map((k) => [k, parseNum(weights[k])])) });
  };
  const saveItems = () => {
    const wrong = items.find((it) => Number.isNaN(parseNum(it.scoreText ?? '')));
    if (wrong) return setMsg({ error: notNumberText(`${tx('score')} ${itemName(wrong)}`, wrong.scoreText ?? '') });
    return send('PUT', '', { items: items.map((it) => ({ ...(it.id ? { id: it.id } : {}), dimension: it.dimension, name: it.name, smartDimension: it.smartDimension || null, score: it.dimension === 'baseline' && !it.auto ? null : it.score, note: it.note, ...(changed(it) && { reason: it.reason ?? '' }) })) });
  };
  const setItem = (i: number, patch: Partial<Item>) => setItems(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const attach = async (item: Item, e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file || !item.id) return;
    try {
      await upload(`/masterplan/evaluation/${year}/items/${encodeURIComponent(item.id)}/evidence`, { file }, file.name);
      ev.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const d = ev.data;
  const lang = getLang();
  if (year === null) return html`<section class="mp-evaluation" data-testid="mp-evaluation"><p class="muted">${tx('loading')}</p></section>`;
  return html`
    <section class="mp-evaluation" data-testid="mp-evaluation">
      <div class="row wrap mp-eval-head">
        <label>${tx('year')}<input type="number" name="evalYear" min="2000" max="2100" value=${year} onChange=${(e: Event) => setPicked(Number((e.target as HTMLInputElement).value) || thisYear())} /></label>
        ${assessed.length > 0 &&
        html`<div class="mp-years" role="group" aria-label=${ex('yearsWithData')}>
          <span class="small muted">${ex('yearsWithData')}:</span>
          ${assessed.map((y) => html`<button type="button" class=${y === year ? 'small' : 'ghost small'} aria-pressed=${y === year} onClick=${() => setPicked(y)}>${y}</button>`)}
          ${!assessed.includes(thisYear()) && html`<button type="button" class=${thisYear() === year ? 'small' : 'ghost small'} aria-pressed=${thisYear() === year} data-testid="eval-this-year" onClick=${() => setPicked(thisYear())}>${thisYear()} (${ex('newYear')})</button>`}
        </div>`}
        <div class="stat"><span>${ex('index')} ${year}</span><strong data-testid="eval-index">${num(d?.index ?? null)}</strong></div>
        ${d && !empty && d.missing.length > 0 && html`<p class="small muted">${ex('missing')}: ${d.missing.map((m) => ex(m)).join(', ')}</p>`}
        ${d?.startedFrom != null && html`<p class="small muted" data-testid="eval-started-from">${ex('startedFrom')} ${d.startedFrom}</p>`}
        <span class="spacer"></span>
        ${d && !empty && html`<button type="button" class="ghost" data-testid="eval-pack" onClick=${() => download(`/masterplan/evaluation/${year}/pack.zip`, `paket-evaluasi-${year}.zip`).catch((err) => setMsg({ error: errorText(err) }))}>${ex('pack')}</button>`}
      </div>
      ${empty &&
      html`<div class="card mp-empty-year" data-testid="eval-empty-year">
        <p>${ex('emptyYear')}</p>
        ${previous !== null && reviewer && html`<button type="button" data-testid="eval-start-from" onClick=${startFrom}>${ex('startFrom')} ${previous}</button> <span class="small muted">${ex('startFromHint')}</span>`}
      </div>`}
      <${Message} error=${ev.error} />
      <${Message} ...${msg} />
      <div class="mp-grid">
        <form class="card" onSubmit=${saveWeights}>
          <h2>${ex('weights')}</h2>
          <div class="mp-weights">
            ${EVAL_DIMS.map(
              (k) => html`<label>${ex(k)}<input inputmode="decimal" name=${`w-${k}`} readOnly=${!admin} value=${weights[k]} onInput=${(e: Event) => setWeights({ ...weights, [k]: (e.target as HTMLInputElement).value })} />
                <span class="small muted">${tx('score')}: ${num(d?.scores?.[k] ?? null)}</span></label>`,
            )}
          </div>
          ${untouched
            ? admin && html`<p class="small muted" data-testid="weights-sum">${ex('fillWeights')}</p>`
            : html`<p class=${sumOk ? 'ok' : 'error'} data-testid="weights-sum">${ex('weightsSum')}: ${num(sum)}${sumOk ? '' : ` — ${ex('mustBe100')}`}</p>`}
          ${admin && !untouched && html`<button type="submit" disabled=${!sumOk}>${tx('save')}</button>`}
        </form>
        <div class="card">
          <h2>${ex('indexByYear')}</h2>
          ${(history.data?.length ?? 0) === 0
            ? html`<p class="muted">${tx('noData')}</p>`
            : html`<${ChartBox}
                label=${ex('indexByYear')}
                height=${240}
                version=${`${lang}:${JSON.stringify(history.data)}`}
                config=${() => ({ type: 'line', data: { labels: history.data!.map((h) => String(h.year)), datasets: [{ label: ex('index'), data: history.data!.map((h) => h.index), borderColor: '#0b5cad', backgroundColor: '#0b5cad' }] }, options: { scales: { y: { min: 0, max: 5 } } } })}
              />`}
        </div>
        <div class="card">
          <h2>${ex('indexByDim')}</h2>
          <${ChartBox}
            label=${ex('indexByDim')}
            height=${240}
            version=${`${lang}:${JSON.stringify(d?.byDimension)}:${!!fw}`}
            config=${() => ({
              type: 'bar',
              data: {
                labels: (d?.byDimension ?? []).map((x) => dimName(fw, x.key)),
                datasets: [
                  { label: ex('index'), data: (d?.byDimension ?? []).map((x) => x.index), backgroundColor: '#0b5cad' },
                  { label: `${ex('survey')} (${ex('mean')})`, data: (d?.byDimension ?? []).map((x) => x.surveyMean), backgroundColor: '#e07b00' },
                ],
              },
              options: { scales: { y: { min: 0, max: 5 } } },
            })}
          />
        </div>
      </div>
      <${BaselineCard} year=${year} data=${d ?? null} reviewer=${reviewer} onChanged=${reloadAll} />
      <div class="card">
        <div class="row wrap"><h2>${ex('items')}</h2><span class="spacer"></span>${reviewer && html`<button class="ghost" data-testid="eval-prefill" onClick=${prefill}>${ex('prefill')}</button><button class="ghost" onClick=${() => setItems([...items, { dimension: 'output', name: '', smartDimension: null, score: null, note: '' }])}>${ex('addItem')}</button><button data-testid="eval-save-items" onClick=${saveItems}>${ex('saveItems')}</button>`}</div>
        <div class="mp-table-wrap">
          <table>
            <thead><tr><th>${ex('evalDim')}</th><th>${tx('name')}</th><th>${ex('smartDim')}</th><th>${tx('score')} (0–5)</th><th>${ex('source')}</th><th>${tx('note')}</th><th>${ex('evidence')}</th></tr></thead>
            <tbody>
              ${items.map((it, i) => {
                const edit = reviewer && !it.auto;
                return html`<tr data-auto=${it.auto?.key ?? ''}>
                  <td>${edit ? html`<select value=${it.dimension} onChange=${(e: Event) => setItem(i, { dimension: (e.target as HTMLSelectElement).value as EvalDim })}>${EVAL_DIMS.map((k) => html`<option value=${k}>${ex(k)}</option>`)}</select>` : ex(it.dimension)}</td>
                  <td>${edit ? html`<input required value=${it.name} aria-label=${tx('name')} onInput=${(e: Event) => setItem(i, { name: (e.target as HTMLInputElement).value })} />` : itemName(it)}</td>
                  <td>${edit ? html`<select value=${it.smartDimension ?? ''} onChange=${(e: Event) => setItem(i, { smartDimension: (e.target as HTMLSelectElement).value || null })}><option value="">—</option>${(fw?.dimensions ?? []).map((x) => html`<option value=${x.key}>${L(x.nameId, x.nameEn)}</option>`)}</select>` : dimName(fw, it.smartDimension)}</td>
                  <td>${it.dimension === 'baseline' && !it.auto
                    ? html`<span class="small muted">${ex('baselineItem')}</span>`
                    : reviewer
                      ? html`<input class="num-in" inputmode="decimal" value=${it.scoreText ?? numIn(it.score)} aria-label=${`${tx('score')}: ${itemName(it)}`} onInput=${(e: Event) => {
                          const text = (e.target as HTMLInputElement).value;
                          const n = parseNum(text);
                          // a text that is not a number keeps the last score until it is saved (and refused)
                          setItem(i, { scoreText: text, ...(!Number.isNaN(n) && { score: n }) });
                        }} />`
                      : num(it.score)}</td>
                  <td class="small">${it.auto
                    ? changed(it)
                      ? html`<span data-testid="item-source">${ex('overriddenBy')} ${it.auto.changedBy ?? (me?.name ?? '')}${it.reason ? `: ${it.reason}` : ''} (${ex('computed')} ${num(it.auto.computedScore)})</span>
                          ${reviewer && html`<input name="itemReason" aria-label=${`${ex('reason')}: ${itemName(it)}`} placeholder=${ex('reason')} value=${it.reason ?? ''} onInput=${(e: Event) => setItem(i, { reason: (e.target as HTMLInputElement).value })} />`}`
                      : html`<span data-testid="item-source">${ex('computedOn')} ${dateText(it.auto.computedAt)}</span>`
                    : ex('byTeam')}</td>
                  <td>${reviewer ? html`<input value=${it.note} aria-label=${tx('note')} onInput=${(e: Event) => setItem(i, { note: (e.target as HTMLInputElement).value })} />` : it.note}</td>
                  <td>
                    ${it.auto &&
                    html`<details class="mp-figures"><summary>${ex('figures')}</summary><ul class="small">${it.auto.figures.map((f) => html`<li>${L(f.labelId, f.labelEn)}: <strong>${f.value === null ? '—' : `${f.unit === 'Rp' ? 'Rp ' : ''}${num(f.value)}${f.unit === '%' ? ' %' : ''}`}</strong> <span class="muted">(${L(f.sourceId, f.sourceEn)})</span></li>`)}</ul></details>`}
                    ${(it.evidence ?? []).map((f) => html`<div><button class="link small" onClick=${() => download(`/masterplan/evaluation/evidence/${encodeURIComponent(f.id)}`, f.filename).catch((err) => setMsg({ error: errorText(err) }))}>${f.filename}</button></div>`)}
                    ${reviewer && (it.id ? html`<label class="mp-upload">${ex('uploadEvidence')}<input type="file" onChange=${(e: Event) => attach(it, e)} /></label>` : html`<span class="small muted">${ex('saveFirst')}</span>`)}
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>
        </div>
      </div>
      <${Survey} year=${year} data=${d} reviewer=${reviewer} canAnswer=${!!me && me.role !== 'viewer'} onChanged=${reloadAll} />
    </section>
  `;
}
