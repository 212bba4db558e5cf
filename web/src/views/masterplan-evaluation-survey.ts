/** The impact survey: one program per element of each smart city dimension (of that dimension), citizens' answers 1–5. */
import type { Evaluation } from '../../../src/modules/masterplan/evaluation/evaluation.contract.js';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { errorText, L, Message, num, tx, useFramework } from './masterplan-common.js';
import { ex } from './masterplan-evaluation-texts.js';
import { loadPrograms, type Program } from './masterplan-programs.js';

export function Survey({ year, data, reviewer, canAnswer, onChanged }: { year: number; data: Evaluation | null; reviewer: boolean; canAnswer: boolean; onChanged: () => void }) {
  const fw = useFramework();
  const [programs, setPrograms] = useState<Program[]>([]);
  /** program id per "dimension.element" */
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState({ programId: '', score: '5', respondent: '' });
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  useEffect(() => {
    if (reviewer) loadPrograms('').then(setPrograms).catch(() => setPrograms([]));
  }, [reviewer]);
  useEffect(() => {
    const c: Record<string, string> = {};
    for (const p of data?.survey.programs ?? []) if (p.elementKey) c[`${p.dimensionKey}.${p.elementKey}`] = p.programId;
    setChosen(c);
  }, [data]);
  const savePrograms = async () => {
    try {
      const list = Object.entries(chosen)
        .filter(([, programId]) => programId)
        .map(([slot, programId]) => {
          const [dimensionKey = '', elementKey = ''] = slot.split('.');
          return { dimensionKey, elementKey, programId };
        });
      await api('PUT', `/masterplan/evaluation/${year}/survey/programs`, { programs: list });
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
    <div class="card" data-testid="eval-survey">
      <h2>${ex('survey')}</h2>
      <p class="small muted">${ex('surveyHint')} ${ex('answers')}: ${num(survey?.answers ?? 0, 0)}</p>
      <${Message} ...${msg} />
      <div class="mp-table-wrap">
        <table>
          <thead><tr><th>${tx('dimension')}</th><th>${ex('element')}</th><th>${ex('surveyProgram')}</th><th class="num">${ex('answers')}</th><th class="num">${ex('mean')}</th></tr></thead>
          <tbody>
            ${(fw?.dimensions ?? []).flatMap((dim) =>
              dim.elements.map((el, i) => {
                const slot = `${dim.key}.${el.key}`;
                const row = survey?.programs.find((p) => p.dimensionKey === dim.key && p.elementKey === el.key);
                return html`<tr>
                  ${i === 0 && html`<td rowspan=${dim.elements.length}>${L(dim.nameId, dim.nameEn)}<div class="small muted">${ex('mean')}: ${num(survey?.byDimension.find((b) => b.key === dim.key)?.mean ?? null)}</div></td>`}
                  <td>${L(el.nameId, el.nameEn)}</td>
                  <td class="mp-survey-cell">
                    ${reviewer
                      ? html`<select aria-label=${`${ex('surveyProgram')}: ${L(el.nameId, el.nameEn)}`} data-slot=${slot} value=${chosen[slot] ?? ''} onChange=${(e: Event) => setChosen({ ...chosen, [slot]: (e.target as HTMLSelectElement).value })}>
                          <option value="">—</option>
                          ${programs.filter((p) => p.dimensionKey === dim.key).map((p) => html`<option value=${p.id}>${p.code} ${p.name}</option>`)}
                        </select>`
                      : row ? `${row.code} ${row.name}` : '—'}
                  </td>
                  <td class="num">${num(row?.answers ?? 0, 0)}</td>
                  <td class="num">${num(row?.mean ?? null)}</td>
                </tr>`;
              }),
            )}
          </tbody>
        </table>
      </div>
      ${reviewer && html`<button class="ghost" data-testid="save-survey-programs" onClick=${savePrograms}>${ex('saveSurveyPrograms')}</button>`}
      ${canAnswer &&
      (survey?.programs.length ?? 0) > 0 &&
      html`<form class="inline" onSubmit=${addAnswer}>
        <label>${tx('programs')}<select required value=${answer.programId} onChange=${(e: Event) => setAnswer({ ...answer, programId: (e.target as HTMLSelectElement).value })}><option value="">—</option>${(survey?.programs ?? []).map((p) => html`<option value=${p.programId}>${p.code} ${p.name}</option>`)}</select></label>
        <label>${tx('score')}<select value=${answer.score} onChange=${(e: Event) => setAnswer({ ...answer, score: (e.target as HTMLSelectElement).value })}>${[1, 2, 3, 4, 5].map((n) => html`<option value=${n}>${n}</option>`)}</select></label>
        <label>${ex('respondent')}<input value=${answer.respondent} onInput=${(e: Event) => setAnswer({ ...answer, respondent: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit">${ex('addAnswer')}</button>
        <label class="file">${ex('importCsv')}<input type="file" accept=".csv,text/csv" onChange=${importCsv} /></label>
      </form>`}
    </div>
  `;
}
