/** Kominfo's yearly evaluation (monev): weights, items with scores and evidence, the impact survey, the index per year and per dimension. */
import type { Evaluation as EvaluationAnswer, EvaluationDimension } from '../../../src/modules/masterplan/collaboration.contract.js';
import { EVALUATION_DIMENSIONS as EVAL_DIMS } from '../../../src/modules/masterplan/masterplan.constants.ts';
import { useEffect, useState } from 'preact/hooks';
import { api, download, upload } from '../api.js';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import { ChartBox, dimName, errorText, L, Message, num, thisYear, tx, useApi, useFramework, useMe, useStanding } from './masterplan-common.js';
import { loadPrograms, type Program } from './masterplan-programs.js';

const ex = texts({
  weights: ['Bobot dimensi evaluasi (%)', 'Evaluation dimension weights (%)'],
  weightsSum: ['Jumlah bobot', 'Sum of weights'],
  mustBe100: ['Jumlah bobot harus 100.', 'The weights must sum to 100.'],
  baseline: ['Baseline', 'Baseline'],
  output: ['Output', 'Output'],
  outcome: ['Outcome', 'Outcome'],
  impact: ['Dampak (impact)', 'Impact'],
  quickWin: ['Quick win', 'Quick win'],
  items: ['Butir penilaian', 'Assessment items'],
  evalDim: ['Dimensi evaluasi', 'Evaluation dimension'],
  smartDim: ['Dimensi smart city', 'Smart city dimension'],
  addItem: ['Tambah butir', 'Add an item'],
  saveItems: ['Simpan butir', 'Save items'],
  evidence: ['Bukti dukung', 'Evidence'],
  uploadEvidence: ['Unggah bukti', 'Upload evidence'],
  saveFirst: ['simpan dulu', 'save first'],
  survey: ['Survei dampak', 'Impact survey'],
  surveyHint: ['Tiga program per dimensi smart city; warga menjawab 1–5.', 'Three programs per smart city dimension; citizens answer 1–5.'],
  surveyPrograms: ['Program survei', 'Survey programs'],
  saveSurveyPrograms: ['Simpan program survei', 'Save survey programs'],
  answers: ['Jawaban', 'Answers'],
  mean: ['Rata-rata', 'Mean'],
  addAnswer: ['Tambah jawaban', 'Add an answer'],
  respondent: ['Responden', 'Respondent'],
  importCsv: ['Impor jawaban CSV (program_code, score, respondent)', 'Import answers CSV (program_code, score, respondent)'],
  added: ['jawaban ditambahkan', 'answers added'],
  index: ['Indeks', 'Index'],
  indexByYear: ['Indeks evaluasi per tahun (0–5)', 'Evaluation index per year (0–5)'],
  indexByDim: ['Indeks per dimensi smart city', 'Index per smart city dimension'],
  missing: ['Belum dinilai (dihitung 0)', 'Not scored (counted as 0)'],
  emptyYear: ['Tahun ini belum diisi.', 'This year has not been filled in yet.'],
  startFrom: ['Mulai dari', 'Start from'],
  startFromHint: ['bobot dan butir penilaian disalin, skor dikosongkan', 'weights and items are copied, scores left blank'],
  fillWeights: ['Isi bobot kelima dimensi; jumlahnya 100.', 'Enter the five weights; they add up to 100.'],
  yearsWithData: ['Tahun yang sudah dinilai', 'Years assessed'],
  newYear: ['belum diisi', 'not filled in'],
});

type EvalDim = EvaluationDimension;
type Evidence = EvaluationAnswer['items'][number]['evidence'][number];
interface Item {
  id?: string;
  dimension: EvalDim;
  name: string;
  smartDimension: string | null;
  score: number | null;
  note: string;
  evidence?: Evidence[];
}
type EvaluationData = EvaluationAnswer;

export function Evaluation() {
  const fw = useFramework();
  const me = useMe();
  const standing = useStanding();
  const history = useApi<{ year: number; index: number }[]>('/masterplan/evaluation');
  // Chosen by the user, or else the latest year with data (this year once it has some): not an empty year with a red sum.
  const [picked, setPicked] = useState<number | null>(null);
  const assessed = (history.data ?? []).map((h) => h.year).sort((a, b) => a - b);
  const latest = assessed.length > 0 ? assessed[assessed.length - 1]! : null;
  const year = picked ?? (history.data || history.error ? (latest === null || assessed.includes(thisYear()) ? thisYear() : latest) : null);
  const ev = useApi<EvaluationData>(year === null ? null : `/masterplan/evaluation/${year}`);
  const [weights, setWeights] = useState<Record<EvalDim, string>>({ baseline: '', output: '', outcome: '', impact: '', quickWin: '' });
  const [items, setItems] = useState<Item[]>([]);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  const admin = me?.role === 'admin';
  const reviewer = !!standing?.reviewer;
  useEffect(() => {
    const w = ev.data?.weights;
    setWeights(Object.fromEntries(EVAL_DIMS.map((k) => [k, w ? String(w[k]) : ''])) as Record<EvalDim, string>);
    setItems(ev.data?.items ?? []);
  }, [ev.data]);
  const reloadAll = () => {
    ev.reload();
    history.reload();
  };
  const sum = EVAL_DIMS.reduce((s, k) => s + (Number(weights[k].replace(',', '.')) || 0), 0);
  const sumOk = Math.abs(sum - 100) < 1e-6;
  // Nothing typed yet: a hint, not an error.
  const untouched = EVAL_DIMS.every((k) => weights[k].trim() === '');
  const empty = !!ev.data && ev.data.weights === null && ev.data.items.length === 0;
  const previous = year === null ? null : ([...assessed].reverse().find((y) => y < year) ?? null);
  const startFrom = async (from: number) => {
    if (year === null) return;
    try {
      const old = await api<EvaluationData>('GET', `/masterplan/evaluation/${from}`);
      await api('PUT', `/masterplan/evaluation/${year}`, {
        ...(admin && old.weights ? { weights: old.weights } : {}),
        items: old.items.map(({ dimension, name, smartDimension }) => ({ dimension, name, smartDimension, score: null, note: '' })),
      });
      setMsg({ ok: tx('saved') });
      reloadAll();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const saveWeights = async (e: Event) => {
    e.preventDefault();
    if (!sumOk) return setMsg({ error: ex('mustBe100') });
    try {
      await api('PUT', `/masterplan/evaluation/${year}`, { weights: Object.fromEntries(EVAL_DIMS.map((k) => [k, Number(weights[k].replace(',', '.'))])) });
      setMsg({ ok: tx('saved') });
      reloadAll();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const saveItems = async () => {
    try {
      await api('PUT', `/masterplan/evaluation/${year}`, { items: items.map(({ id, dimension, name, smartDimension, score, note }) => ({ ...(id ? { id } : {}), dimension, name, smartDimension: smartDimension || null, score, note })) });
      setMsg({ ok: tx('saved') });
      reloadAll();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
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
      </div>
      ${empty &&
      html`<div class="card mp-empty-year" data-testid="eval-empty-year">
        <p>${ex('emptyYear')}</p>
        ${previous !== null && reviewer && html`<button type="button" data-testid="eval-start-from" onClick=${() => startFrom(previous)}>${ex('startFrom')} ${previous}</button> <span class="small muted">${ex('startFromHint')}</span>`}
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
      <div class="card">
        <div class="row wrap"><h2>${ex('items')}</h2><span class="spacer"></span>${reviewer && html`<button class="ghost" onClick=${() => setItems([...items, { dimension: 'output', name: '', smartDimension: null, score: null, note: '' }])}>${ex('addItem')}</button><button onClick=${saveItems}>${ex('saveItems')}</button>`}</div>
        <div class="mp-table-wrap">
          <table>
            <thead><tr><th>${ex('evalDim')}</th><th>${tx('name')}</th><th>${ex('smartDim')}</th><th>${tx('score')} (0–5)</th><th>${tx('note')}</th><th>${ex('evidence')}</th></tr></thead>
            <tbody>
              ${items.map(
                (it, i) => html`<tr>
                  <td>${reviewer ? html`<select value=${it.dimension} onChange=${(e: Event) => setItem(i, { dimension: (e.target as HTMLSelectElement).value as EvalDim })}>${EVAL_DIMS.map((k) => html`<option value=${k}>${ex(k)}</option>`)}</select>` : ex(it.dimension)}</td>
                  <td>${reviewer ? html`<input required value=${it.name} aria-label=${tx('name')} onInput=${(e: Event) => setItem(i, { name: (e.target as HTMLInputElement).value })} />` : it.name}</td>
                  <td>${reviewer ? html`<select value=${it.smartDimension ?? ''} onChange=${(e: Event) => setItem(i, { smartDimension: (e.target as HTMLSelectElement).value || null })}><option value="">—</option>${(fw?.dimensions ?? []).map((x) => html`<option value=${x.key}>${L(x.nameId, x.nameEn)}</option>`)}</select>` : dimName(fw, it.smartDimension)}</td>
                  <td>${reviewer ? html`<input class="num-in" type="number" min="0" max="5" step="0.1" value=${it.score ?? ''} aria-label=${tx('score')} onInput=${(e: Event) => setItem(i, { score: (e.target as HTMLInputElement).value === '' ? null : Number((e.target as HTMLInputElement).value) })} />` : num(it.score)}</td>
                  <td>${reviewer ? html`<input value=${it.note} aria-label=${tx('note')} onInput=${(e: Event) => setItem(i, { note: (e.target as HTMLInputElement).value })} />` : it.note}</td>
                  <td>
                    ${(it.evidence ?? []).map((f) => html`<div><button class="link small" onClick=${() => download(`/masterplan/evaluation/evidence/${encodeURIComponent(f.id)}`, f.filename).catch((err) => setMsg({ error: errorText(err) }))}>${f.filename}</button></div>`)}
                    ${reviewer && (it.id ? html`<label class="mp-upload">${ex('uploadEvidence')}<input type="file" onChange=${(e: Event) => attach(it, e)} /></label>` : html`<span class="small muted">${ex('saveFirst')}</span>`)}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>
      <${Survey} year=${year} data=${d} reviewer=${reviewer} canAnswer=${!!me && me.role !== 'viewer'} onChanged=${reloadAll} />
    </section>
  `;
}

function Survey({ year, data, reviewer, canAnswer, onChanged }: { year: number; data: EvaluationData | null; reviewer: boolean; canAnswer: boolean; onChanged: () => void }) {
  const fw = useFramework();
  const [programs, setPrograms] = useState<Program[]>([]);
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const [answer, setAnswer] = useState({ programId: '', score: '5', respondent: '' });
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  useEffect(() => {
    if (reviewer) loadPrograms('').then(setPrograms).catch(() => setPrograms([]));
  }, [reviewer]);
  useEffect(() => {
    const c: Record<string, string[]> = {};
    for (const p of data?.survey.programs ?? []) (c[p.dimensionKey] ??= []).push(p.programId);
    setChosen(c);
  }, [data]);
  const savePrograms = async () => {
    try {
      await api('PUT', `/masterplan/evaluation/${year}/survey/programs`, { programs: Object.entries(chosen).flatMap(([dimensionKey, ids]) => ids.filter(Boolean).map((programId) => ({ dimensionKey, programId }))) });
      setMsg({ ok: tx('saved') });
      onChanged();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const addAnswer = async (e: Event) => {
    e.preventDefault();
    try {
      const res = await api<{ added: number }>('POST', `/masterplan/evaluation/${year}/survey`, { answers: [{ programId: answer.programId, score: Number(answer.score), respondent: answer.respondent || null }] });
      setMsg({ ok: `${res.added} ${ex('added')}` });
      onChanged();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const importCsv = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const res = await api<{ added: number }>('POST', `/masterplan/evaluation/${year}/survey`, await file.text(), 'text/csv');
      setMsg({ ok: `${res.added} ${ex('added')}` });
      onChanged();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
    (e.target as HTMLInputElement).value = '';
  };
  const survey = data?.survey;
  return html`
    <div class="card">
      <h2>${ex('survey')}</h2>
      <p class="small muted">${ex('surveyHint')} ${ex('answers')}: ${num(survey?.answers ?? 0, 0)}</p>
      <${Message} ...${msg} />
      <div class="mp-table-wrap">
        <table>
          <thead><tr><th>${tx('dimension')}</th><th>${ex('surveyPrograms')}</th><th class="num">${ex('answers')}</th><th class="num">${ex('mean')}</th></tr></thead>
          <tbody>
            ${(fw?.dimensions ?? []).map((dim) => {
              const rows = survey?.programs.filter((p) => p.dimensionKey === dim.key) ?? [];
              const byDim = survey?.byDimension.find((b) => b.key === dim.key);
              return html`<tr>
                <td>${L(dim.nameId, dim.nameEn)}</td>
                <td class="mp-survey-cell">
                  ${reviewer
                    ? [0, 1, 2].map(
                        (i) => html`<select aria-label=${`${ex('surveyPrograms')} ${dim.key} ${i + 1}`} value=${chosen[dim.key]?.[i] ?? ''} onChange=${(e: Event) => {
                          const ids = [...(chosen[dim.key] ?? ['', '', ''])];
                          ids[i] = (e.target as HTMLSelectElement).value;
                          setChosen({ ...chosen, [dim.key]: ids });
                        }}><option value="">—</option>${programs.filter((p) => !p.dimensionKey || p.dimensionKey === dim.key).map((p) => html`<option value=${p.id}>${p.code} ${p.name}</option>`)}</select>`,
                      )
                    : null}
                  <ul class="small">${rows.map((p) => html`<li>${p.code} ${p.name} — ${p.answers} · ${num(p.mean)}</li>`)}</ul>
                </td>
                <td class="num">${num(byDim?.answers ?? 0, 0)}</td>
                <td class="num">${num(byDim?.mean ?? null)}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${reviewer && html`<button class="ghost" onClick=${savePrograms}>${ex('saveSurveyPrograms')}</button>`}
      ${canAnswer &&
      (survey?.programs.length ?? 0) > 0 &&
      html`<form class="inline" onSubmit=${addAnswer}>
        <label>${tx('programs')}<select required value=${answer.programId} onChange=${(e: Event) => setAnswer({ ...answer, programId: (e.target as HTMLSelectElement).value })}><option value="">—</option>${survey!.programs.map((p) => html`<option value=${p.programId}>${p.code} ${p.name}</option>`)}</select></label>
        <label>${tx('score')}<select value=${answer.score} onChange=${(e: Event) => setAnswer({ ...answer, score: (e.target as HTMLSelectElement).value })}>${[1, 2, 3, 4, 5].map((n) => html`<option value=${n}>${n}</option>`)}</select></label>
        <label>${ex('respondent')}<input value=${answer.respondent} onInput=${(e: Event) => setAnswer({ ...answer, respondent: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit">${ex('addAnswer')}</button>
        <label class="file">${ex('importCsv')}<input type="file" accept=".csv,text/csv" onChange=${importCsv} /></label>
      </form>`}
    </div>
  `;
}
