/** The master plan workspace (Rencana Induk): a shell with sub-tabs under #/masterplan/…. */
import { useState } from 'preact/hooks';
import { download } from '../api.js';
import { html } from '../html.js';
import { errorText, Message, tx, useMe } from './masterplan-common.js';
import { Collaboration } from './masterplan-collab.js';
import { Dashboard } from './masterplan-dashboard.js';
import { Evaluation } from './masterplan-evaluation.js';
import { Initiatives } from './masterplan-initiatives.js';
import { Kpis } from './masterplan-kpis.js';
import { Programs } from './masterplan-programs.js';
import { QuickWins } from './masterplan-quickwins.js';
import { qx } from './masterplan-quickwins-texts.js';
import { Roadmap } from './masterplan-roadmap.js';
import { Readiness } from './masterplan-readiness.js';
import { RecordsTab } from './masterplan-records.js';

const TABS = [
  { path: '/masterplan', key: 'dashboard' },
  { path: '/masterplan/readiness', key: 'readiness' },
  { path: '/masterplan/records', key: 'records' },
  { path: '/masterplan/initiatives', key: 'initiatives' },
  { path: '/masterplan/quickwins', key: 'quickwins' },
  { path: '/masterplan/roadmap', key: 'roadmap' },
  { path: '/masterplan/programs', key: 'programs' },
  { path: '/masterplan/kpis', key: 'kpis' },
  { path: '/masterplan/collaboration', key: 'collab' },
  { path: '/masterplan/evaluation', key: 'evaluation' },
] as const;

export function MasterplanView({ route }: { route: string }) {
  const path = route.split('?')[0]!.replace(/\/$/, '');
  const tab = TABS.find((x) => x.path === path) ?? TABS[0];
  const me = useMe();
  return html`
    <div class="mp">
      <div class="mp-head">
        <h1>${tx('masterplan')}</h1>
        <nav class="tabs" aria-label=${tx('masterplan')}>
          ${TABS.map((x) => html`<a href=${`#${x.path}`} class=${x === tab ? 'active' : ''} aria-current=${x === tab ? 'page' : undefined}>${x.key === 'quickwins' ? qx('tab') : x.key === 'roadmap' ? qx('roadmapTab') : tx(x.key)}</a>`)}
        </nav>
        <span class="spacer"></span>
        <${ExportButtons} />
      </div>
      ${me && me.role === 'viewer' && html`<p class="muted small">${tx('readOnly')}</p>`}
      ${tab.key === 'dashboard' && html`<${Dashboard} />`} ${tab.key === 'readiness' && html`<${Readiness} />`} ${tab.key === 'records' && html`<${RecordsTab} />`} ${tab.key === 'initiatives' && html`<${Initiatives} />`} ${tab.key === 'quickwins' && html`<${QuickWins} />`} ${tab.key === 'roadmap' && html`<${Roadmap} />`} ${tab.key === 'programs' && html`<${Programs} />`}
      ${tab.key === 'kpis' && html`<${Kpis} />`} ${tab.key === 'collab' && html`<${Collaboration} />`} ${tab.key === 'evaluation' && html`<${Evaluation} />`}
    </div>
  `;
}

/** The books a region delivers, in order (the keys of GET /masterplan/export.docx?book=…). */
const BOOKS = [
  { key: 'analisis', label: 'bookOne', file: 'buku-1-analisis-strategis' },
  { key: 'rencana', label: 'bookTwo', file: 'buku-2-rencana-induk' },
  { key: 'ringkasan', label: 'bookThree', file: 'buku-3-ringkasan-eksekutif' },
  { key: 'quickwin', label: 'bookQuickWin', file: 'dokumen-quick-win' },
] as const;

/** Each book as DOCX (editable) and PDF; one download at a time. */
function ExportButtons() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const get = async (kind: string, path: string, name: string) => {
    setBusy(kind);
    setError(null);
    try {
      await download(path, name);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  return html`
    <div class="mp-export" role="group" aria-label=${tx('export')}>
      ${BOOKS.map((b) => html`
        <span class="mp-book" role="group" aria-label=${tx(b.label)}>
          <span class="mp-book-name">${tx(b.label)}</span>
          ${(['docx', 'pdf'] as const).map((f) => {
            const kind = `${b.key}-${f}`;
            return html`<button class="ghost small" disabled=${!!busy} data-testid=${`export-${kind}`} aria-label=${`${tx('download')} ${tx(b.label)} (${f.toUpperCase()})`} onClick=${() => get(kind, `/masterplan/export.${f}?book=${b.key}`, `${b.file}.${f}`)}>${busy === kind ? tx('loading') : f.toUpperCase()}</button>`;
          })}
        </span>`)}
      <${Message} error=${error} />
    </div>
  `;
}
