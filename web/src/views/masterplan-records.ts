/**
 * The master plan's records (Buku I and II material) in one tab: the regional
 * profile, strategic issues per dimension, the ICT inventory with the platform's
 * own count, strategies from the SWOT and goals per dimension, development
 * plans, the adoption status and appendices. Reviewers edit; others read.
 */
import type { Commitment } from '../../../src/modules/masterplan/collaboration/collaboration.contract.js';
import type { Appendix, DevelopmentPlan, Goal, IctItem, Issue, Records, Strategy } from '../../../src/modules/masterplan/records/records.contract.js';
import { APPENDIX_KINDS, DEVELOPMENT_AREAS, DEVELOPMENT_STATUSES, ICT_KINDS, ICT_STATUSES, QUADRANTS, type Labelled } from '../../../src/modules/masterplan/records/records.constants.ts';
import { useEffect, useState } from 'preact/hooks';
import { download } from '../api.js';
import { html } from '../html.js';
import { dimName, errorText, isReviewer, L, Message, num, tx, useApi, useFramework, useMe, useOpds, useStanding, type Framework, type Opd } from './masterplan-common.js';
import { EntryList, type Field } from './masterplan-records-list.js';
import { AdoptionCard, Profile } from './masterplan-records-profile.js';
import { named, rx } from './masterplan-records-texts.js';
import './masterplan-records.css';

const choices = (list: readonly Labelled[]) => list.map((x) => ({ value: x.key, label: L(x.nameId, x.nameEn) }));
const dimensionChoices = (fw: Framework | null) => (fw?.dimensions ?? []).map((d) => ({ value: d.key, label: L(d.nameId, d.nameEn) }));
const opdChoices = (opds: Opd[] | null) => (opds ?? []).map((o) => ({ value: o.id, label: o.code }));
const READINESS_ELEMENTS = [
  { key: 'struktur', nameId: 'Struktur', nameEn: 'Structure' },
  { key: 'infrastruktur', nameId: 'Infrastruktur', nameEn: 'Infrastructure' },
  { key: 'suprastruktur', nameId: 'Suprastruktur', nameEn: 'Superstructure' },
];

export function RecordsTab() {
  const fw = useFramework();
  const me = useMe();
  const opds = useOpds();
  const standing = useStanding();
  const loaded = useApi<Records>('/masterplan/records');
  const editable = !!me && me.role !== 'viewer' && isReviewer(me, opds, standing);
  // the commitment sheets with an uploaded scan: an appendix may link to one
  const sheets = useApi<Commitment[]>(editable ? '/masterplan/commitments' : null);
  const scanned = (sheets.data ?? []).filter((c) => c.file !== null).map((c) => ({ value: c.id, label: `${c.signerName} — ${c.position}` }));
  const [data, setData] = useState<Records | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setData(loaded.data), [loaded.data]);
  if (!data) return html`<section class="mp-records"><div class="card"><${Message} error=${loaded.error} />${!loaded.error && html`<p class="muted">${tx('loading')}</p>`}</div></section>`;
  const r = data;
  const changed = (next: Records) => setData(next);
  const common = { editable, onChanged: changed };
  const period = r.period.start !== null && r.period.end !== null ? `${r.period.start}–${r.period.end}` : '…';
  const p = r.ict.platform;
  return html`
    <section class="mp-records" data-testid="mp-records" data-editable=${editable ? 'yes' : 'no'}>
      <div class="card"><p class="small muted">${rx('hint')}</p><${Message} error=${error} /></div>
      <${Profile} profile=${r.profile} ...${common} />
      <${EntryList} name="issues" title=${rx('issues')} rows=${r.issues} ...${common}
        headers=${[tx('dimension'), rx('issue'), rx('description')]}
        cells=${(x: Issue) => [dimName(fw, x.dimensionKey), x.title, x.description || '—']}
        fields=${[{ key: 'dimensionKey', label: tx('dimension'), input: 'select', required: true, options: dimensionChoices(fw) }, { key: 'title', label: rx('title'), input: 'text', required: true, max: 300 }, { key: 'description', label: rx('description'), input: 'textarea', max: 4000 }] satisfies Field[]}
        valuesOf=${(x: Issue | null) => ({ dimensionKey: x?.dimensionKey ?? '', title: x?.title ?? '', description: x?.description ?? '' })} />
      <div class="card" data-testid="records-platform">
        <h3>${rx('platform')}</h3>
        <div class="stats">
          <div class="stat"><span>${rx('devices')}</span><strong data-testid="platform-devices">${num(p.devices.total, 0)}</strong><span class="small muted">${num(p.devices.online, 0)} ${rx('online')}</span></div>
          <div class="stat"><span>${rx('assets')}</span><strong data-testid="platform-assets">${num(p.assetsTotal, 0)}</strong></div>
          ${p.assets.map((a) => html`<div class="stat"><span>${L(a.nameId, a.nameEn)}</span><strong>${num(a.count, 0)}</strong></div>`)}
        </div>
      </div>
      <${EntryList} name="ict" title=${rx('ict')} rows=${r.ict.items} ...${common}
        headers=${[rx('kind'), tx('name'), tx('opd'), tx('status'), rx('description')]}
        cells=${(x: IctItem) => [named(ICT_KINDS, x.kind), x.name, x.opdCode ?? '—', named(ICT_STATUSES, x.status), x.description || '—']}
        fields=${[{ key: 'kind', label: rx('kind'), input: 'select', required: true, options: choices(ICT_KINDS) }, { key: 'name', label: tx('name'), input: 'text', required: true, max: 300 }, { key: 'opdId', label: tx('opd'), input: 'select', optional: true, options: opdChoices(opds) }, { key: 'status', label: tx('status'), input: 'select', required: true, options: choices(ICT_STATUSES) }, { key: 'description', label: rx('description'), input: 'textarea', max: 2000 }] satisfies Field[]}
        valuesOf=${(x: IctItem | null) => ({ kind: x?.kind ?? 'application', name: x?.name ?? '', opdId: x?.opdId ?? '', status: x?.status ?? 'active', description: x?.description ?? '' })} />
      <${EntryList} name="strategies" title=${rx('strategies')} rows=${r.strategies} ...${common}
        headers=${[rx('quadrant'), rx('strategy'), rx('swotElement'), tx('dimension')]}
        cells=${(x: Strategy) => [named(QUADRANTS, x.quadrant), x.text, x.element ? named(READINESS_ELEMENTS, x.element) : '—', x.dimensionKey ? dimName(fw, x.dimensionKey) : rx('allDimensions')]}
        fields=${[{ key: 'quadrant', label: rx('quadrant'), input: 'select', required: true, options: choices(QUADRANTS) }, { key: 'element', label: rx('swotElement'), input: 'select', optional: true, options: choices(READINESS_ELEMENTS) }, { key: 'dimensionKey', label: tx('dimension'), input: 'select', optional: true, options: dimensionChoices(fw) }, { key: 'text', label: rx('strategy'), input: 'textarea', required: true, max: 2000 }] satisfies Field[]}
        valuesOf=${(x: Strategy | null) => ({ quadrant: x?.quadrant ?? '', element: x?.element ?? '', dimensionKey: x?.dimensionKey ?? '', text: x?.text ?? '' })} />
      <${EntryList} name="goals" title=${rx('goals')} rows=${r.goals} ...${common}
        headers=${[tx('dimension'), rx('goal'), rx('indicatorText'), tx('target')]}
        cells=${(x: Goal) => [dimName(fw, x.dimensionKey), x.text, x.indicator || '—', x.target || '—']}
        fields=${[{ key: 'dimensionKey', label: tx('dimension'), input: 'select', required: true, options: dimensionChoices(fw) }, { key: 'text', label: rx('goal'), input: 'text', required: true, max: 1000 }, { key: 'indicator', label: rx('indicatorText'), input: 'text', max: 500 }, { key: 'target', label: tx('target'), input: 'text', max: 500 }] satisfies Field[]}
        valuesOf=${(x: Goal | null) => ({ dimensionKey: x?.dimensionKey ?? '', text: x?.text ?? '', indicator: x?.indicator ?? '', target: x?.target ?? '' })} />
      <${EntryList} name="development" title=${rx('development')} hint=${`${rx('developmentHint')}: ${period}`} rows=${r.developmentPlans} ...${common}
        headers=${[rx('area'), rx('what'), tx('year'), rx('responsible'), tx('status')]}
        cells=${(x: DevelopmentPlan) => [named(DEVELOPMENT_AREAS, x.area), x.what, String(x.year), x.opdCode ?? '—', named(DEVELOPMENT_STATUSES, x.status)]}
        fields=${[{ key: 'area', label: rx('area'), input: 'select', required: true, options: choices(DEVELOPMENT_AREAS) }, { key: 'what', label: rx('what'), input: 'text', required: true, max: 1000 }, { key: 'year', label: tx('year'), input: 'year', required: true }, { key: 'opdId', label: rx('responsible'), input: 'select', optional: true, options: opdChoices(opds) }, { key: 'status', label: tx('status'), input: 'select', required: true, options: choices(DEVELOPMENT_STATUSES) }] satisfies Field[]}
        valuesOf=${(x: DevelopmentPlan | null) => ({ area: x?.area ?? '', what: x?.what ?? '', year: String(x?.year ?? r.period.start ?? ''), opdId: x?.opdId ?? '', status: x?.status ?? 'planned' })} />
      <${AdoptionCard} adoption=${r.adoption} ...${common} />
      <${EntryList} name="appendices" title=${rx('appendices')} rows=${r.appendices} ...${common}
        headers=${[rx('title'), rx('kind'), rx('linkedFile')]}
        cells=${(x: Appendix) => [x.title, named(APPENDIX_KINDS, x.kind), x.file ? html`<button class="ghost small" onClick=${() => download(x.file!.url.replace(/^\/api\/v1/, ''), `lampiran-${x.id}`).catch((err) => setError(errorText(err)))}>${rx('open')}</button>` : rx('noFile')]}
        fields=${[{ key: 'kind', label: rx('kind'), input: 'select', required: true, options: choices(APPENDIX_KINDS) }, { key: 'title', label: rx('title'), input: 'text', required: true, max: 500 }, { key: 'commitmentId', label: rx('linkedFile'), input: 'select', optional: true, options: scanned }] satisfies Field[]}
        valuesOf=${(x: Appendix | null) => ({ kind: x?.kind ?? 'sk', title: x?.title ?? '', commitmentId: x?.commitmentId ?? '' })} />
    </section>
  `;
}
