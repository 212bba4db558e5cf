/** Readiness (asesmen kesiapan): checklist per element and sub-element, radar chart, SWOT, gap, two years side by side, and the plan's vision. */
import type { PlanBody as Plan, ProgrammeOwnerKey, Readiness as ReadinessAnswer } from '../../../src/modules/masterplan/plan/plan.contract.js';
import { PROGRAMME_OWNER_KEYS, PROGRAMME_OWNERS, programmeOwner } from '../../../src/modules/masterplan/masterplan.constants.js';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { getLang, texts } from '../i18n.js';
import { ChartBox, errorText, isReviewer, L, Message, num, tx, useApi, useFramework, useMe, useOpds, useStanding, type Framework } from './masterplan-common.js';

const rx = texts({
  checklist: ['Daftar periksa kesiapan', 'Readiness checklist'],
  radar: ['Radar kesiapan', 'Readiness radar'],
  compareWith: ['Bandingkan dengan', 'Compare with'],
  compare: ['Perbandingan antar tahun', 'Year to year comparison'],
  gap: ['Kesenjangan (gap)', 'Gap'],
  gapHint: ['Selisih target dan skor saat ini (0–4); makin besar makin jauh dari target.', 'Target minus today’s score (0–4); larger means further from the target.'],
  question: ['Pertanyaan', 'Question'],
  elementScore: ['Skor elemen (0–100)', 'Element score (0–100)'],
  swot: ['Analisis SWOT', 'SWOT analysis'],
  strengths: ['Kekuatan', 'Strengths'],
  weaknesses: ['Kelemahan', 'Weaknesses'],
  opportunities: ['Peluang', 'Opportunities'],
  threats: ['Ancaman', 'Threats'],
  onePerLine: ['satu butir per baris', 'one item per line'],
  plan: ['Visi, misi dan arah kebijakan', 'Vision, mission and policy directions'],
  title: ['Judul rencana', 'Plan title'],
  vision: ['Visi', 'Vision'],
  missions: ['Misi', 'Missions'],
  policyDirections: ['Arah kebijakan', 'Policy directions'],
  periodStart: ['Awal periode', 'Period start'],
  periodEnd: ['Akhir periode', 'Period end'],
  owner: ['Kementerian pembina program', 'Ministry owning the programme'],
  ownerAuto: ['Menurut tanggal dokumen', 'By the document’s date'],
  ownerHint: ['Kominfo menjadi Komdigi pada 21 Oktober 2024; dokumen memakai nama ini.', 'Kominfo became Komdigi on 21 October 2024; the documents use this name.'],
  saveReadiness: ['Simpan asesmen', 'Save assessment'],
  noItems: ['Belum ada butir asesmen untuk tahun ini.', 'No assessment items for this year yet.'],
  subElement: ['Sub-elemen', 'Sub-element'],
});

const ownerName = (k: ProgrammeOwnerKey) => `${getLang() === 'en' ? PROGRAMME_OWNERS[k].nameEn : PROGRAMME_OWNERS[k].nameId} (${PROGRAMME_OWNERS[k].short})`;

interface Item {
  element: string;
  subKey: string;
  code: string;
  questionId: string;
  questionEn: string;
  score: number | null;
  target: number | null;
  note: string | null;
}
type Swot = ReadinessAnswer['swot'];
type ReadinessData = ReadinessAnswer;
const SWOT_KEYS = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const;
const EMPTY_SWOT: Swot[string] = { strengths: [], weaknesses: [], opportunities: [], threats: [] };

function subName(fw: Framework | null, element: string, sub: string): string {
  const s = fw?.readiness.find((r) => r.key === element)?.subs.find((x) => x.key === sub);
  return s ? L(s.nameId, s.nameEn) : sub;
}
function elName(fw: Framework | null, element: string): string {
  const r = fw?.readiness.find((x) => x.key === element);
  return r ? L(r.nameId, r.nameEn) : element;
}
/** Mean score per sub-element, in the framework's order. */
function subMeans(fw: Framework | null, items: Item[], field: 'score' | 'target'): { key: string; element: string; value: number | null }[] {
  const subs = fw ? fw.readiness.flatMap((r) => r.subs.map((s) => ({ element: r.key, key: s.key }))) : [...new Map(items.map((i) => [`${i.element}.${i.subKey}`, { element: i.element, key: i.subKey }])).values()];
  return subs.map((s) => {
    const vals = items.filter((i) => i.element === s.element && i.subKey === s.key && typeof i[field] === 'number').map((i) => i[field] as number);
    return { ...s, value: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null };
  });
}

export function Readiness() {
  const fw = useFramework();
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const editable = isReviewer(me, opds, standing);
  const [year, setYear] = useState(2022);
  const [other, setOther] = useState(2021);
  const a = useApi<ReadinessData>(`/masterplan/readiness?year=${year}`);
  const b = useApi<ReadinessData>(other ? `/masterplan/readiness?year=${other}` : null);
  const [items, setItems] = useState<Item[]>([]);
  const [swot, setSwot] = useState<Swot>({});
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  useEffect(() => {
    setItems(a.data?.items ?? []);
    setSwot(a.data?.swot ?? {});
  }, [a.data]);
  const save = async () => {
    try {
      await api('PUT', `/masterplan/readiness/${year}`, { items: items.map((i) => ({ element: i.element, subKey: i.subKey, code: i.code, score: i.score, target: i.target, note: i.note ?? '' })), swot });
      setMsg({ ok: tx('saved') });
      a.reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const setItem = (idx: number, patch: Partial<Item>) => setItems(items.map((it, i) => (i === idx ? { ...it, ...patch } : it)));
  const elements = fw?.readiness.map((r) => r.key) ?? [...new Set(items.map((i) => i.element))];
  const mine = subMeans(fw, items, 'score');
  const targets = subMeans(fw, items, 'target');
  const theirs = subMeans(fw, b.data?.items ?? [], 'score');
  const lang = getLang();
  const years = Array.from({ length: 12 }, (_, i) => 2019 + i);
  const scoreOptions = (v: number | null) => [html`<option value="">—</option>`, ...[0, 1, 2, 3, 4].map((n) => html`<option value=${n} selected=${v === n}>${n}</option>`)];
  return html`
    <section class="mp-readiness" data-testid="mp-readiness">
      <div class="row wrap">
        <label>${tx('year')}<select value=${year} onChange=${(e: Event) => setYear(Number((e.target as HTMLSelectElement).value))} data-testid="readiness-year">${years.map((y) => html`<option value=${y}>${y}</option>`)}</select></label>
        <label>${rx('compareWith')}<select value=${other} onChange=${(e: Event) => setOther(Number((e.target as HTMLSelectElement).value))}>${years.map((y) => html`<option value=${y}>${y}</option>`)}</select></label>
      </div>
      <${Message} error=${a.error} />
      <div class="mp-grid">
        <div class="card">
          <h2>${rx('radar')}</h2>
          <${ChartBox}
            label=${rx('radar')}
            testid="chart-radar"
            height=${340}
            version=${`${lang}:${year}:${other}:${JSON.stringify(mine)}:${JSON.stringify(theirs)}:${!!fw}`}
            config=${() => ({
              type: 'radar',
              data: {
                labels: mine.map((s) => subName(fw, s.element, s.key)),
                datasets: [
                  { label: String(year), data: mine.map((s) => s.value), borderColor: '#0b5cad', backgroundColor: 'rgba(11,92,173,0.2)' },
                  { label: String(other), data: theirs.map((s) => s.value), borderColor: '#e07b00', backgroundColor: 'rgba(224,123,0,0.15)' },
                  { label: tx('target'), data: targets.map((s) => s.value), borderColor: '#1a9641', borderDash: [5, 4], fill: false, pointRadius: 0 },
                ],
              },
              options: { scales: { r: { min: 0, max: 4, ticks: { stepSize: 1 } } } },
            })}
          />
        </div>
        <div class="card">
          <h2>${rx('compare')}</h2>
          <div class="mp-table-wrap">
            <table data-testid="readiness-compare">
              <thead><tr><th>${tx('element')}</th><th>${rx('subElement')}</th><th class="num">${other}</th><th class="num">${year}</th><th class="num">${tx('target')}</th><th class="num">${rx('gap')}</th></tr></thead>
              <tbody>
                ${mine.map((s, i) => {
                  const gap = targets[i]?.value !== null && targets[i]?.value !== undefined && s.value !== null ? (targets[i]!.value as number) - s.value : null;
                  return html`<tr><td>${elName(fw, s.element)}</td><td>${subName(fw, s.element, s.key)}</td><td class="num">${num(theirs[i]?.value ?? null)}</td><td class="num">${num(s.value)}</td><td class="num">${num(targets[i]?.value ?? null)}</td><td class=${`num ${gap !== null && gap > 1 ? 'error' : ''}`}>${num(gap)}</td></tr>`;
                })}
              </tbody>
              <tfoot>
                ${elements.map((el) => html`<tr><th colspan="2">${elName(fw, el)} — ${rx('elementScore')}</th><td class="num">${num(b.data?.scores?.[el] ?? null, 1)}</td><td class="num">${num(a.data?.scores?.[el] ?? null, 1)}</td><td class="num">${num(a.data?.targets?.[el] ?? null, 1)}</td><td class="num">${num(a.data?.gaps?.[el] ?? null, 1)}</td></tr>`)}
              </tfoot>
            </table>
          </div>
          <p class="small muted">${rx('gapHint')}</p>
        </div>
      </div>
      <div class="card">
        <div class="row wrap"><h2>${rx('checklist')} ${year}</h2><span class="spacer"></span>${editable && html`<button onClick=${save} data-testid="save-readiness">${rx('saveReadiness')}</button>`}</div>
        <${Message} ...${msg} />
        ${items.length === 0 && html`<p class="muted">${rx('noItems')}</p>`}
        ${elements.map(
          (el) => html`
            <details open class="mp-element">
              <summary><strong>${elName(fw, el)}</strong> <span class="muted">${num(a.data?.scores?.[el] ?? null, 1)} / 100</span></summary>
              <div class="mp-table-wrap">
                <table>
                  <thead><tr><th>${tx('code')}</th><th>${rx('subElement')}</th><th>${rx('question')}</th><th>${tx('score')} (0–4)</th><th>${tx('target')}</th><th>${tx('note')}</th></tr></thead>
                  <tbody>
                    ${items.map((it, idx) =>
                      it.element !== el
                        ? null
                        : html`<tr>
                            <td>${it.code}</td>
                            <td>${subName(fw, it.element, it.subKey)}</td>
                            <td>${L(it.questionId, it.questionEn)}</td>
                            <td>${editable ? html`<select aria-label=${`${tx('score')} ${it.code}`} onChange=${(e: Event) => setItem(idx, { score: (e.target as HTMLSelectElement).value === '' ? null : Number((e.target as HTMLSelectElement).value) })}>${scoreOptions(it.score)}</select>` : num(it.score)}</td>
                            <td>${editable ? html`<select aria-label=${`${tx('target')} ${it.code}`} onChange=${(e: Event) => setItem(idx, { target: (e.target as HTMLSelectElement).value === '' ? null : Number((e.target as HTMLSelectElement).value) })}>${scoreOptions(it.target)}</select>` : num(it.target)}</td>
                            <td>${editable ? html`<input value=${it.note ?? ''} aria-label=${`${tx('note')} ${it.code}`} onInput=${(e: Event) => setItem(idx, { note: (e.target as HTMLInputElement).value })} />` : it.note}</td>
                          </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              <h3>${rx('swot')} — ${elName(fw, el)}</h3>
              <div class="mp-swot">
                ${SWOT_KEYS.map(
                  (k) => html`<label class=${`swot-${k}`}>${rx(k)} <span class="small">(${rx('onePerLine')})</span>
                    <textarea rows="4" readOnly=${!editable} value=${(swot[el]?.[k] ?? []).join('\n')} onInput=${(e: Event) =>
                      setSwot({ ...swot, [el]: { ...EMPTY_SWOT, ...swot[el], [k]: (e.target as HTMLTextAreaElement).value.split('\n') } })}></textarea>
                  </label>`,
                )}
              </div>
            </details>
          `,
        )}
        ${editable && items.length > 0 && html`<button onClick=${save}>${rx('saveReadiness')}</button>`}
      </div>
      <${PlanEditor} editable=${editable} />
    </section>
  `;
}

function PlanEditor({ editable }: { editable: boolean }) {
  const { data, error, reload } = useApi<Plan>('/masterplan/plan');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [msg, setMsg] = useState<{ error?: string | null; ok?: string | null }>({});
  useEffect(() => setPlan(data), [data]);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!plan) return;
    try {
      await api('PUT', '/masterplan/plan', { ...plan, missions: plan.missions.map((s) => s.trim()).filter(Boolean), policyDirections: plan.policyDirections.map((s) => s.trim()).filter(Boolean) });
      setMsg({ ok: tx('saved') });
      reload();
    } catch (err) {
      setMsg({ error: errorText(err) });
    }
  };
  const p: Plan = plan ?? { title: '', vision: '', missions: [], policyDirections: [], periodStart: null, periodEnd: null, programmeOwner: null };
  return html`
    <form class="card mp-plan" onSubmit=${save}>
      <h2>${rx('plan')}</h2>
      <${Message} error=${error ?? msg.error} ok=${msg.ok} />
      <label>${rx('title')}<input name="title" value=${p.title} readOnly=${!editable} onInput=${(e: Event) => setPlan({ ...p, title: (e.target as HTMLInputElement).value })} /></label>
      <div class="row wrap">
        <label>${rx('periodStart')}<input type="number" value=${p.periodStart ?? ''} readOnly=${!editable} onInput=${(e: Event) => setPlan({ ...p, periodStart: Number((e.target as HTMLInputElement).value) || null })} /></label>
        <label>${rx('periodEnd')}<input type="number" value=${p.periodEnd ?? ''} readOnly=${!editable} onInput=${(e: Event) => setPlan({ ...p, periodEnd: Number((e.target as HTMLInputElement).value) || null })} /></label>
        <label title=${rx('ownerHint')}>${rx('owner')}
          <select name="programmeOwner" disabled=${!editable} value=${p.programmeOwner ?? ''} onChange=${(e: Event) => setPlan({ ...p, programmeOwner: PROGRAMME_OWNER_KEYS.find((k) => k === (e.target as HTMLSelectElement).value) ?? null })}>
            <option value="">${rx('ownerAuto')}: ${ownerName(programmeOwner(null, Date.now()))}</option>
            ${PROGRAMME_OWNER_KEYS.map((k) => html`<option value=${k}>${ownerName(k)}</option>`)}
          </select>
        </label>
      </div>
      <label>${rx('vision')}<textarea rows="2" readOnly=${!editable} value=${p.vision} onInput=${(e: Event) => setPlan({ ...p, vision: (e.target as HTMLTextAreaElement).value })}></textarea></label>
      <label>${rx('missions')} <span class="small">(${rx('onePerLine')})</span><textarea rows="4" readOnly=${!editable} value=${p.missions.join('\n')} onInput=${(e: Event) => setPlan({ ...p, missions: (e.target as HTMLTextAreaElement).value.split('\n') })}></textarea></label>
      <label>${rx('policyDirections')} <span class="small">(${rx('onePerLine')})</span><textarea rows="4" readOnly=${!editable} value=${p.policyDirections.join('\n')} onInput=${(e: Event) => setPlan({ ...p, policyDirections: (e.target as HTMLTextAreaElement).value.split('\n') })}></textarea></label>
      ${editable && html`<div><button type="submit">${tx('save')}</button></div>`}
    </form>
  `;
}
