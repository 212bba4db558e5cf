/**
 * The operators' incident screens: the inbox per OPD (#/incidents), one incident (#/incidents/{id})
 * and the SLA overview for leadership (#/sla). Text from reporters is always rendered as text.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, newestOnly, Stream } from '../api.js';
import { html } from '../html.js';
import { formatNumber, formatTime, getLang, texts } from '../i18n.js';
import { formatCoordinates } from '../format.js';
import { RegionMap } from '../map.js';
import type { MapLayer } from '../map-base.js';
import { BASE_LAYER_KEYS } from '../../../src/modules/identity/identity.constants.ts';
import {
  attributeText,
  awaitsUs,
  categoryName,
  IncidentTitle,
  ix,
  NEXT,
  OPEN_STATUSES,
  severityLabel,
  SEVERITIES,
  SlaChip,
  sourceLabel,
  SOURCES,
  statusLabel,
  STATUSES,
  useLookups,
  type Category,
  type District,
  type Incident,
  type IncidentDetail,
  type Me,
  type Opd,
  type TimelineEntry,
} from './incidents-common.js';
import { SlaView } from './incidents-sla.js';
import { DeliveryList } from './notify-common.js';

const wx = texts({
  name: ['Nama', 'Name'],
  phone: ['Nomor HP', 'Phone'],
});

/**
 * An alarm's incident says what happened in both languages, one per line
 * (Bahasa Indonesia first, as the server writes it): the screen shows its
 * language's line. Any other description is shown as it was written.
 */
const descriptionIn = (inc: { source: string; description: string }) => {
  const lines = inc.description.split('\n');
  return inc.source === 'alarm' && lines.length === 2 ? lines[getLang() === 'id' ? 0 : 1] : inc.description;
};

export function IncidentsView({ route }: { route: string }) {
  const [data, setData] = useState<{ me: Me; opds: Opd[]; categories: Category[]; districts: District[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    useLookups().then(setData, (e: Error) => setError(e.message));
  }, []);
  if (error) return html`<p class="error pad" role="alert">${error}</p>`;
  if (!data) return html`<p class="muted pad">…</p>`;
  const cats = new Map(data.categories.map((c) => [c.code, c]));
  if (route === '/sla') return html`<${SlaView} opds=${data.opds} cats=${cats} />`;
  const id = route.startsWith('/incidents/') ? decodeURIComponent(route.slice('/incidents/'.length)) : null;
  return id
    ? html`<${IncidentPage} key=${id} id=${id} me=${data.me} opds=${data.opds} cats=${cats} districts=${data.districts} />`
    : html`<${Inbox} me=${data.me} opds=${data.opds} cats=${cats} districts=${data.districts} />`;
}

// ------------------------------------------------------------------ inbox

interface Filters {
  status: string;
  opdId: string;
  categoryCode: string;
  districtCode: string;
  severity: string;
  source: string;
  overdue: boolean;
  /** pending: the moderation queue */
  publication: string;
  q: string;
}

function query(f: Filters): string {
  const p = new URLSearchParams();
  const status = f.status === 'open' ? OPEN_STATUSES.join(',') : f.status;
  if (status) p.set('status', status);
  if (f.opdId) p.set('opdId', f.opdId);
  if (f.categoryCode) p.set('categoryCode', f.categoryCode);
  if (f.districtCode) p.set('districtCode', f.districtCode);
  if (f.severity) p.set('severity', f.severity);
  if (f.source) p.set('source', f.source);
  if (f.overdue) p.set('overdue', 'true');
  if (f.publication) p.set('publication', f.publication);
  if (f.q.trim()) p.set('q', f.q.trim());
  return p.toString();
}

function matches(i: Incident, f: Filters): boolean {
  const statuses = f.status === 'open' ? OPEN_STATUSES : f.status ? [f.status] : null;
  if (statuses && !statuses.includes(i.status)) return false;
  if (f.opdId && i.opdId !== f.opdId) return false;
  if (f.categoryCode && i.categoryCode !== f.categoryCode) return false;
  if (f.districtCode && i.districtCode !== f.districtCode) return false;
  if (f.severity && i.severity !== f.severity) return false;
  if (f.source && i.source !== f.source) return false;
  if (f.overdue && !i.sla.overdue) return false;
  if (f.publication && i.publication !== f.publication) return false;
  const q = f.q.trim().toLowerCase();
  if (q && ![i.ticket, i.title, i.titleEn ?? '', i.description, i.address ?? ''].some((s) => s.toLowerCase().includes(q))) return false;
  return true;
}

const FILTER_KEY = 'cerdas.incidents.filters';

function Inbox({ me, opds, cats, districts }: { me: Me; opds: Opd[]; cats: Map<string, Category>; districts: District[] }) {
  const saved = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? 'null') as Filters | null;
    } catch {
      return null;
    }
  })();
  const blank: Filters = { status: 'open', opdId: me.role === 'operator' && me.opdId ? me.opdId : '', categoryCode: '', districtCode: '', severity: '', source: '', overdue: false, publication: '', q: '' };
  // Filters saved by an older version lack newer fields.
  const [f, setF] = useState<Filters>(saved ? { ...blank, ...saved } : blank);
  const [items, setItems] = useState<Incident[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const filters = useRef(f);
  filters.current = f;

  /** An incident as the stream tells it: changed in place, new on top, gone when it no longer fits the filters. */
  const upsert = (inc: Incident) =>
    setItems((old) => {
      if (!old) return old;
      const at = old.findIndex((x) => x.id === inc.id);
      const fits = matches(inc, filters.current);
      if (at >= 0) return fits ? old.map((x) => (x.id === inc.id ? inc : x)) : old.filter((x) => x.id !== inc.id);
      return fits ? [inc, ...old] : old;
    });
  /** the newest load: an older one's answer, come late (a search typed further meanwhile), is not shown over it */
  const newestLoad = useRef(0);
  /** what the stream told while the newest load was on its way: applied again over its answer, which may be older */
  const toldDuringLoad = useRef<Incident[] | null>(null);
  const load = async (cursor: string | null) => {
    const mine = ++newestLoad.current;
    const told: Incident[] = [];
    toldDuringLoad.current = told;
    setError(null);
    try {
      const q = query(f);
      const page = await api<{ items: Incident[]; nextCursor: string | null }>('GET', `/incidents?limit=50${q ? `&${q}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (mine !== newestLoad.current) return;
      setItems((old) => (cursor && old ? [...old.filter((x) => !page.items.some((y) => y.id === x.id)), ...page.items] : page.items));
      setNext(page.nextCursor);
      told.forEach(upsert);
    } catch (e) {
      if (mine === newestLoad.current) setError((e as Error).message);
    } finally {
      if (toldDuringLoad.current === told) toldDuringLoad.current = null;
    }
  };
  useEffect(() => {
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(f));
    const timer = setTimeout(() => void load(null), f.q ? 300 : 0);
    return () => clearTimeout(timer);
  }, [query(f)]);

  const loadLatest = useRef(load);
  loadLatest.current = load;
  // Live: new incidents come in on top, changed ones change in place.
  useEffect(() => {
    const stream = new Stream();
    stream.onState = setConnected;
    stream.subscribe('incidents', 'incidents');
    // What changed while the connection was down is read again, from the first page, with the filters on screen now.
    stream.catchUp('incidents', () => loadLatest.current(null));
    stream.on((msg) => {
      if (msg.type !== 'incident') return;
      const inc = msg.incident as Incident;
      toldDuringLoad.current?.push(inc);
      upsert(inc);
      setFresh((s) => new Set(s).add(inc.id));
    });
    stream.connect();
    return () => stream.close();
  }, []);

  const set = (patch: Partial<Filters>) => setF({ ...f, ...patch });
  const sel = (e: Event) => (e.target as HTMLSelectElement).value;
  const opdName = (id: string | null, code: string | null) => (id ? (opds.find((o) => o.id === id)?.code ?? code ?? id) : ix('unrouted'));
  const catList = [...cats.values()];
  const districtName = (code: string) => districts.find((d) => d.code === code)?.name ?? code;
  return html`
    <div class="inc pad">
      <header class="row wrap">
        <h1>${ix('inbox')}</h1>
        <span class=${connected ? 'live on' : 'live'}>${connected ? ix('live') : ix('reconnecting')}</span>
        <span class="spacer"></span>
        <a href="#/sla">${ix('slaTitle')} →</a>
      </header>
      <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label="filter">
        <label>${ix('status')}<select name="status" value=${f.status} onChange=${(e: Event) => set({ status: sel(e) })}>
          <option value="open">${ix('openOnes')}</option><option value="">${ix('all')}</option>
          ${STATUSES.map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}
        </select></label>
        ${me.role === 'operator'
          ? html`<label>${ix('opd')}<select name="opdId" value=${f.opdId} onChange=${(e: Event) => set({ opdId: sel(e) })}>
              <option value=${me.opdId ?? ''}>${ix('myOpd')} (${opdName(me.opdId, null)})</option><option value="">${ix('myOpd')} + ${ix('unrouted').toLowerCase()}</option></select></label>`
          : html`<label>${ix('opd')}<select name="opdId" value=${f.opdId} onChange=${(e: Event) => set({ opdId: sel(e) })}>
              <option value="">${ix('allOpd')}</option>${opds.map((o) => html`<option value=${o.id}>${o.code} — ${o.name}</option>`)}</select></label>`}
        <label>${ix('category')}<select name="categoryCode" value=${f.categoryCode} onChange=${(e: Event) => set({ categoryCode: sel(e) })}>
          <option value="">${ix('all')}</option>${catList.map((c) => html`<option value=${c.code}>${categoryName(cats, c.code)}</option>`)}</select></label>
        <label>${ix('district')}<select name="districtCode" value=${f.districtCode} onChange=${(e: Event) => set({ districtCode: sel(e) })}>
          <option value="">${ix('allDistricts')}</option>${districts.map((d) => html`<option value=${d.code}>${d.name}</option>`)}</select></label>
        <label>${ix('severity')}<select name="severity" value=${f.severity} onChange=${(e: Event) => set({ severity: sel(e) })}>
          <option value="">${ix('all')}</option>${SEVERITIES.map((s) => html`<option value=${s}>${severityLabel(s)}</option>`)}</select></label>
        <label>${ix('source')}<select name="source" value=${f.source} onChange=${(e: Event) => set({ source: sel(e) })}>
          <option value="">${ix('all')}</option>${SOURCES.map((s) => html`<option value=${s}>${sourceLabel(s)}</option>`)}</select></label>
        <label class="check"><input type="checkbox" name="moderation" checked=${f.publication === 'pending'} onChange=${(e: Event) => set({ publication: (e.target as HTMLInputElement).checked ? 'pending' : '' })} /> ${ix('moderation')}</label>
        <label class="check"><input type="checkbox" name="overdue" checked=${f.overdue} onChange=${(e: Event) => set({ overdue: (e.target as HTMLInputElement).checked })} /> ${ix('onlyOverdue')}</label>
        <label class="grow">${ix('search')}<input type="search" name="q" value=${f.q} onInput=${(e: Event) => set({ q: (e.target as HTMLInputElement).value })} /></label>
      </form>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${items && items.length === 0 && html`<p class="muted">${ix('none')}</p>`}
      ${items &&
      items.length > 0 &&
      html`<div class="table-wrap"><table class="inc-table">
        <thead><tr><th>${ix('ticket')}</th><th>${ix('titleCol')}</th><th>${ix('category')}</th><th>${ix('severity')}</th><th>${ix('status')}</th><th>${ix('opd')}</th><th>${ix('sla')}</th><th>${ix('created')}</th></tr></thead>
        <tbody>
          ${items.map(
            (i) => html`<tr key=${i.id} class=${fresh.has(i.id) ? 'fresh' : ''} data-incident=${i.id}>
              <td><a href=${`#/incidents/${i.id}`}>${i.ticket}</a></td>
              <td class="title-cell"><${IncidentTitle} inc=${i} cats=${cats} />${i.publication === 'pending' && html` <span class="tag pending" data-testid="awaits-moderation">${ix('pub_pending')}</span>`}${awaitsUs(i) && html` <span class="tag reply" title=${ix('reporterAnsweredHint')} data-testid="reporter-answered">${ix('reporterAnswered')}</span>`}<div class="muted small">${sourceLabel(i.source)}${i.districtCode ? ` · ${districtName(i.districtCode)}` : ''}${i.address ? ` · ${i.address}` : ''}</div></td>
              <td>${categoryName(cats, i.categoryCode)}</td>
              <td><span class=${`sev sev-${i.severity}`}>${severityLabel(i.severity)}</span></td>
              <td><span class=${`st st-${i.status}`}>${statusLabel(i.status)}</span></td>
              <td>${opdName(i.opdId, i.opdCode)}${i.assigneeName ? html`<div class="muted small">${i.assigneeName}</div>` : ''}</td>
              <td><${SlaChip} sla=${i.sla} /></td>
              <td class="small">${formatTime(i.createdAt)}</td>
            </tr>`,
          )}
        </tbody>
      </table></div>`}
      ${next && html`<button class="ghost" onClick=${() => load(next)}>${ix('more')}</button>`}
    </div>
  `;
}

// ------------------------------------------------------------------ one incident

function IncidentPage({ id, me, opds, cats, districts }: { id: string; me: Me; opds: Opd[]; cats: Map<string, Category>; districts: District[] }) {
  const [inc, setInc] = useState<IncidentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Read again on every message about the incident: the newest read's answer is the one shown.
  const load = useMemo(
    () =>
      newestOnly(
        () => api<IncidentDetail>('GET', `/incidents/${encodeURIComponent(id)}`),
        (answer) => {
          setInc(answer);
          setError(null);
        },
        (e) => setError(e.message),
      ),
    [id],
  );
  useEffect(() => {
    void load();
    const stream = new Stream();
    stream.subscribe('incidents', 'incidents');
    stream.catchUp('incidents', load);
    stream.on((msg) => {
      if (msg.type === 'incident' && msg.incident.id === id) void load();
    });
    stream.connect();
    return () => stream.close();
  }, [id]);

  /** Runs an action; the page shows the API's answer (409 transitions, 403 another OPD's …) as it is. */
  const act = async (fn: () => Promise<unknown>, after?: (r: any) => void) => {
    setError(null);
    setNotice(null);
    try {
      const r = await fn();
      if (after) after(r);
      else {
        await load();
        setNotice(ix('saved'));
      }
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? `${e.message} (${e.code})` : (e as Error).message);
      return false;
    }
  };

  if (!inc) return html`<div class="pad">${error ? html`<p class="error" role="alert">${error}</p>` : html`<p class="muted">…</p>`}<a href="#/incidents">${ix('back')}</a></div>`;
  const readOnly = me.role === 'viewer';
  const photos = [...inc.photos.map((p) => p.url), ...(inc.mediaUrl && /^https?:|^\//.test(inc.mediaUrl) ? [inc.mediaUrl] : [])];
  return html`
    <div class="inc pad incident-page" data-testid="incident">
      <a href="#/incidents">${ix('back')}</a>
      <header class="row wrap inc-head">
        <h1><span class="ticket-no">${inc.ticket}</span> <span data-testid="incident-title"><${IncidentTitle} inc=${inc} cats=${cats} /></span></h1>
        ${!readOnly && html`<${TitleEdit} inc=${inc} act=${act} />`}
        <span class=${`st st-${inc.status}`} data-testid="status">${statusLabel(inc.status)}</span>
        <span class=${`sev sev-${inc.severity}`}>${severityLabel(inc.severity)}</span>
        <${SlaChip} sla=${inc.sla} />
      </header>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${notice && html`<p class="ok" role="status">${notice}</p>`}
      <div class="inc-grid">
        <div class="col">
          <section class="card">
            <h2>${ix('details')}</h2>
            <dl class="facts">
              <div><dt>${ix('category')}</dt><dd>${categoryName(cats, inc.categoryCode)}</dd></div>
              <div><dt>${ix('source')}</dt><dd>${sourceLabel(inc.source)}</dd></div>
              <div><dt>${ix('opd')}</dt><dd>${inc.opdCode ?? ix('unrouted')}</dd></div>
              <div><dt>${ix('assignee')}</dt><dd>${inc.assigneeName ?? '—'}</dd></div>
              <div><dt>${ix('created')}</dt><dd>${formatTime(inc.createdAt)}</dd></div>
              <div><dt>${ix('district')}</dt><dd data-testid="district">${inc.districtCode ? (districts.find((d) => d.code === inc.districtCode)?.name ?? inc.districtCode) : '—'}</dd></div>
              <div><dt>${ix('address')}</dt><dd>${inc.address ?? '—'}</dd></div>
            </dl>
            <h3>${ix('description')}</h3>
            <p class="pre">${descriptionIn(inc)}</p>
            ${inc.attributes && Object.keys(inc.attributes).length > 0 && html`<dl class="facts">${Object.entries(inc.attributes).map(([k, v]) => {
              const [q, answer] = attributeText(cats, inc.categoryCode, k, v);
              return html`<div><dt>${q}</dt><dd>${answer}</dd></div>`;
            })}</dl>`}
            ${inc.rejectReason && html`<p><strong>${ix('rejectReason')}:</strong> ${inc.rejectReason}</p>`}
            ${inc.mergedIntoId && html`<p>${ix('mergedInto')} <a href=${`#/incidents/${inc.mergedIntoId}`}>${inc.mergedIntoId}</a></p>`}
            ${photos.length > 0 && html`<h3>${ix('photos')}</h3><div class="photos">${photos.map((u) => html`<a href=${u} target="_blank" rel="noopener"><img src=${u} alt=${ix('photos')} loading="lazy" /></a>`)}</div>`}
          </section>
          ${(inc.alarmId || inc.assetId) && html`<section class="card" data-testid="links">
            <h2>${ix('links')}</h2>
            <ul class="links">
              ${inc.alarmId && html`<li><a href=${`#/alarms/${encodeURIComponent(inc.alarmId)}`} data-testid="alarm-link">${ix('alarmLink')} →</a></li>`}
              ${inc.assetId && html`<li><a href=${`#/?asset=${encodeURIComponent(inc.assetId)}`} data-testid="asset-link">${ix('assetLink')}${inc.address ? `: ${inc.address}` : ''} →</a></li>`}
              ${inc.assetId && inc.deviceId && html`<li><a href=${`#/?asset=${encodeURIComponent(inc.assetId)}&chart=${encodeURIComponent(inc.deviceId)}`} data-testid="chart-link">${ix('chartLink')} →</a></li>`}
            </ul>
          </section>`}
          <section class="card">
            <h2>${ix('location')}</h2>
            ${inc.lat !== null && inc.lon !== null ? html`<${SpotMap} lat=${inc.lat} lon=${inc.lon} label=${inc.ticket} /><p class="muted small">${formatCoordinates(inc.lon, inc.lat, getLang())}</p>` : html`<p class="muted">${ix('noLocation')}</p>`}
          </section>
          ${inc.source !== 'alarm' && (inc.source === 'report' || inc.reporter)
            ? html`<section class="card reporter" data-testid="reporter">
                <h2>${ix('reporter')}</h2>
                ${inc.reporter && (inc.reporter.name || inc.reporter.phone || inc.reporter.email)
                  ? html`<p class="small warn">${ix('reporterNote')}</p>
                      <dl class="facts">
                        <div><dt>${wx('name')}</dt><dd>${inc.reporter.name ?? '—'}</dd></div>
                        <div><dt>${wx('phone')}</dt><dd>${inc.reporter.phone ?? '—'}</dd></div>
                        <div><dt>Email</dt><dd>${inc.reporter.email ?? '—'}</dd></div>
                      </dl>
                      ${!readOnly && html`<button class="ghost danger" onClick=${() => confirm(ix('eraseConfirm')) && act(() => api('POST', `/incidents/${inc.id}/erase-reporter`))}>${ix('erase')}</button>`}`
                  : html`<p class="muted">${ix('noReporter')}</p>`}
              </section>`
            : null}
        </div>
        <div class="col">
          ${!readOnly && html`<${Actions} inc=${inc} me=${me} opds=${opds} act=${act} />`}
          <${Publication} inc=${inc} readOnly=${readOnly} act=${act} />
          <section class="card">
            <h2>${ix('duplicates')}</h2>
            ${inc.duplicates.length === 0
              ? html`<p class="muted">${ix('noDuplicates')}</p>`
              : html`<ul class="dups">${inc.duplicates.map(
                  (d) => html`<li><a href=${`#/incidents/${d.id}`}>${d.ticket}</a> · ${formatNumber(Math.round(d.distanceM))} ${ix('meters')} · ${statusLabel(d.status)} · <span class="small">${formatTime(d.createdAt)}</span>
                    ${!readOnly && !inc.mergedIntoId && html` <button class="ghost" onClick=${() => confirm(ix('mergeConfirm')) && act(() => api<Incident>('POST', `/incidents/${inc.id}/merge`, { intoId: d.id }), (target: Incident) => (location.hash = `#/incidents/${target.id}`))}>${ix('mergeInto')} ${d.ticket}</button>`}</li>`,
                )}</ul>`}
          </section>
          <section class="card">
            <h2>${ix('timeline')}</h2>
            <ol class="tl" data-testid="timeline">${[...inc.timeline].reverse().map((e) => html`<${TimelineItem} key=${e.id} e=${e} />`)}</ol>
          </section>
          <${DeliveryList} query=${`incidentId=${encodeURIComponent(inc.id)}`} />
        </div>
      </div>
    </div>
  `;
}

/** The reporter's own lines: their answer, and the reopening or closing it made (the only changes from resolved without a person; the silent close is auto_closed). */
const byReporter = (e: TimelineEntry) => e.kind === 'reporter_reply' || (e.kind === 'status' && e.actor === null && e.from === 'resolved' && (e.to === 'in_progress' || e.to === 'closed'));

const publicationLabel = (state: string | null) => (state === 'pending' || state === 'published' || state === 'private' ? ix(`pub_${state}`) : '—');

function TimelineItem({ e }: { e: TimelineEntry }) {
  const kind = ix(`k_${e.kind}` as 'k_created');
  const reporter = byReporter(e);
  // Merges are worded here from their tickets (older rows also stored an English sentence, not shown).
  const merge = e.kind === 'merged' ? ix('mergedHere').replace('{t}', e.from ?? '—') : e.kind === 'duplicate_of' ? ix('duplicateOf').replace('{t}', e.to ?? '—') : null;
  const change =
    e.kind === 'status' || e.kind === 'auto_closed' ? `${statusLabel(e.from)} → ${statusLabel(e.to)}` : e.kind === 'created' ? (e.to ? statusLabel(e.to) : '') : e.kind === 'severity' ? `${severityLabel(e.from ?? '')} → ${severityLabel(e.to ?? '')}` : e.kind === 'published' || e.kind === 'withheld' ? `${publicationLabel(e.from)} → ${publicationLabel(e.to)}` : e.from || e.to ? `${e.from ?? '—'} → ${e.to ?? '—'}` : '';
  return html`<li class=${`${e.public ? 'pub' : 'int'}${reporter ? ' reporter' : ''}`}>
    <div class="small muted"><time>${formatTime(e.at)}</time> · ${e.actor?.name ?? (reporter ? ix('byReporter') : ix('system'))} · <span class=${e.public ? 'tag pub' : 'tag int'}>${e.public ? ix('public') : ix('internal')}</span></div>
    <div>${merge ? html`<strong>${merge}</strong>` : html`<strong>${kind.startsWith('k_') ? e.kind : kind}</strong>${change && html` ${change}`}`}</div>
    ${e.text && !merge && html`<p class="pre">${e.text}</p>`}
  </li>`;
}

function Actions({ inc, me, opds, act }: { inc: IncidentDetail; me: Me; opds: Opd[]; act: (fn: () => Promise<unknown>, after?: (r: any) => void) => Promise<boolean> }) {
  const [opdId, setOpdId] = useState(inc.opdId ?? '');
  const [person, setPerson] = useState(inc.assigneeUserId ?? '');
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [isPublic, setPublic] = useState(true);
  const [localError, setLocalError] = useState<string | null>(null);
  // whom the chosen OPD's incident can go to: its active operators and admins (an operator may ask for their own OPD only)
  const [people, setPeople] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (!opdId || (me.role === 'operator' && opdId !== me.opdId)) return setPeople([]);
    api<{ id: string; name: string }[]>('GET', `/opds/${opdId}/people`).then(
      (list) => setPeople(list.map((u) => (u.id === me.id ? { id: u.id, name: `${u.name} (${ix('me')})` } : u))),
      () => setPeople([]),
    );
  }, [opdId]);
  useEffect(() => {
    setOpdId(inc.opdId ?? '');
    setPerson(inc.assigneeUserId ?? '');
  }, [inc.opdId, inc.assigneeUserId]);
  // An unrouted report is routed by Diskominfo or an admin (the API refuses other operators).
  const routes = me.role === 'admin' || inc.opdId !== null || opds.find((o) => o.id === me.opdId)?.code === 'DISKOMINFO';
  const canAssign = routes && ['new', 'assigned', 'in_progress'].includes(inc.status);
  const nexts = NEXT[inc.status];
  return html`
    <section class="card actions">
      ${canAssign &&
      html`<form class="inline" aria-label=${ix('assign')} onSubmit=${(e: Event) => {
        e.preventDefault();
        void act(() => api('POST', `/incidents/${inc.id}/assign`, { ...(opdId && { opdId }), assigneeUserId: person || null }));
      }}>
        <label>${ix('opd')}<select name="assign-opd" value=${opdId} onChange=${(e: Event) => {
          setOpdId((e.target as HTMLSelectElement).value);
          setPerson('');
        }}>
          <option value="" disabled>—</option>${opds.map((o) => html`<option value=${o.id}>${o.code}</option>`)}</select></label>
        <label>${ix('person')}<select name="assign-person" value=${person} onChange=${(e: Event) => setPerson((e.target as HTMLSelectElement).value)}>
          <option value="">${ix('nobody')}</option>${people.map((u) => html`<option value=${u.id}>${u.name}</option>`)}</select></label>
        <button type="submit" disabled=${!opdId}>${ix('assign')}</button>
      </form>`}
      ${nexts.length > 0 &&
      html`<form class="inline" novalidate aria-label=${ix('changeStatus')} onSubmit=${async (e: Event) => {
        e.preventDefault();
        setLocalError(null);
        if (!status) return;
        if (status === 'rejected' && !reason.trim()) return setLocalError(ix('needReason'));
        if (await act(() => api('POST', `/incidents/${inc.id}/status`, { status, ...(reason.trim() && { reason: reason.trim() }) }))) {
          setStatus('');
          setReason('');
        }
      }}>
        <label>${ix('changeStatus')}<select name="status" value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">—</option>${nexts.map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}</select></label>
        ${status === 'rejected' && html`<label class="grow">${ix('reason')}<input name="reason" value=${reason} maxLength=${5000} required onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></label>`}
        <button type="submit" disabled=${!status}>${ix('changeStatus')}</button>
      </form>`}
      ${localError && html`<p class="error" role="alert">${localError}</p>`}
      <form class="update" aria-label=${ix('update')} onSubmit=${async (e: Event) => {
        e.preventDefault();
        if (!text.trim()) return;
        if (await act(() => api('POST', `/incidents/${inc.id}/updates`, { text: text.trim(), public: isPublic }))) setText('');
      }}>
        <label>${ix('update')}<textarea name="update" rows=${3} maxLength=${5000} value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea></label>
        <div class="row wrap">
          <label class="check"><input type="radio" name="visibility" value="public" checked=${isPublic} onChange=${() => setPublic(true)} /> ${ix('publicUpdate')}</label>
          <label class="check"><input type="radio" name="visibility" value="internal" checked=${!isPublic} onChange=${() => setPublic(false)} /> ${ix('internalNote')}</label>
          <span class="spacer"></span>
          <button type="submit" disabled=${!text.trim()}>${ix('send')}</button>
        </div>
      </form>
    </section>
  `;
}

/** The title, renamed in place (the reporter's first words by default). */
function TitleEdit({ inc, act }: { inc: IncidentDetail; act: (fn: () => Promise<unknown>) => Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(inc.title);
  if (!open) return html`<button class="ghost small" data-testid="edit-title" onClick=${() => (setTitle(inc.title), setOpen(true))}>${ix('editTitle')}</button>`;
  return html`<form class="inline" aria-label=${ix('editTitle')} onSubmit=${async (e: Event) => {
    e.preventDefault();
    if (title.trim() && (await act(() => api('PATCH', `/incidents/${inc.id}`, { title: title.trim() })))) setOpen(false);
  }}>
    <input name="title" value=${title} maxLength=${200} required onInput=${(e: Event) => setTitle((e.target as HTMLInputElement).value)} />
    <button type="submit" disabled=${!title.trim()}>${ix('send')}</button>
  </form>`;
}

/** Moderation: what the public sees of it (the map, the Open311 feed), approved with an edited text or kept off. */
function Publication({ inc, readOnly, act }: { inc: IncidentDetail; readOnly: boolean; act: (fn: () => Promise<unknown>) => Promise<boolean> }) {
  const [title, setTitle] = useState(inc.publicTitle ?? (inc.source === 'alarm' ? '' : inc.title));
  const [text, setText] = useState(inc.publicText ?? (inc.source === 'alarm' ? '' : inc.description));
  const [photo, setPhoto] = useState(inc.publicPhoto);
  useEffect(() => {
    setTitle(inc.publicTitle ?? (inc.source === 'alarm' ? '' : inc.title));
    setText(inc.publicText ?? (inc.source === 'alarm' ? '' : inc.description));
    setPhoto(inc.publicPhoto);
  }, [inc.publicTitle, inc.publicText, inc.publicPhoto]);
  const decide = (publication: 'published' | 'private') =>
    act(() => api('POST', `/incidents/${inc.id}/publication`, { publication, publicTitle: title.trim() || null, publicText: text.trim() || null, publicPhoto: photo }));
  const hasPhoto = inc.photos.length > 0 || inc.mediaUrl !== null;
  return html`<section class="card publication" data-testid="publication">
    <h2>${ix('publication')} <span class=${`tag pub-${inc.publication}`} data-testid="publication-state">${ix(`pub_${inc.publication}` as 'pub_pending')}</span></h2>
    <p class="muted small">${inc.source === 'alarm' ? ix('pubAlarmHint') : ix('pubHint')}</p>
    ${!readOnly && html`<form onSubmit=${(e: Event) => e.preventDefault()} aria-label=${ix('publication')}>
      <label>${ix('publicTitle')}<input name="publicTitle" value=${title} maxLength=${200} onInput=${(e: Event) => setTitle((e.target as HTMLInputElement).value)} /></label>
      <label>${ix('publicText')}<textarea name="publicText" rows=${3} maxLength=${5000} value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea></label>
      ${hasPhoto && html`<label class="check"><input type="checkbox" name="publicPhoto" checked=${photo} onChange=${(e: Event) => setPhoto((e.target as HTMLInputElement).checked)} /> ${ix('publicPhoto')}</label>`}
      <div class="row wrap">
        <button type="button" data-testid="approve" disabled=${inc.source === 'alarm' && !text.trim()} onClick=${() => decide('published')}>${ix('approve')}</button>
        <button type="button" class="ghost" data-testid="withhold" onClick=${() => decide('private')}>${ix('withhold')}</button>
      </div>
    </form>`}
  </section>`;
}

/** A small map of the incident's spot on the region's base layers (kecamatan, rivers), over the region's tiles or base map when installed. */
function SpotMap({ lat, lon, label }: { lat: number; lon: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let map: RegionMap | null = null;
    let dead = false;
    const base: readonly string[] = BASE_LAYER_KEYS;
    Promise.all([
      api<{ tileUrl?: string | null; basemapUrl?: string | null }>('GET', '/region').catch(() => ({ tileUrl: null, basemapUrl: null })),
      api<MapLayer[]>('GET', '/region/layers').catch(() => [] as MapLayer[]),
    ]).then(([region, layers]) => {
      if (dead || !el.current) return;
      const underlay = Boolean(region.tileUrl || region.basemapUrl);
      map = new RegionMap(el.current, { tileUrl: region.tileUrl ?? null, basemapUrl: region.basemapUrl ?? null, onSelect: () => {} });
      map.addLayers(layers.filter((l) => base.includes(l.key)));
      map.setAssets([{ id: 'spot', name: label, type: 'incident', location: { lat, lon } }]);
      map.color('spot', '#d7191c');
      // Without tiles the street level is empty land: a wider view shows the kecamatan and rivers around the spot.
      map.map.setView([lat, lon], underlay ? 15 : 12);
    });
    return () => {
      dead = true;
      map?.destroy();
    };
  }, [lat, lon]);
  return html`<div class="spot-map" ref=${el} role="img" aria-label=${`${label} ${formatCoordinates(lon, lat, getLang())}`}></div>`;
}
