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
import { Readiness } from './masterplan-readiness.js';
import { RecordsTab } from './masterplan-records.js';

const TABS = [
  { path: '/masterplan', key: 'dashboard' },
  { path: '/masterplan/readiness', key: 'readiness' },
  { path: '/masterplan/initiatives', key: 'initiatives' },
  { path: '/masterplan/records', key: 'records' },
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
          ${TABS.map((x) => html`<a href=${`#${x.path}`} class=${x === tab ? 'active' : ''} aria-current=${x === tab ? 'page' : undefined}>${tx(x.key)}</a>`)}
        </nav>
        <span class="spacer"></span>
        <${ExportButtons} />
      </div>
      ${me && me.role === 'viewer' && html`<p class="muted small">${tx('readOnly')}</p>`}
      ${tab.key === 'dashboard' && html`<${Dashboard} />`} ${tab.key === 'readiness' && html`<${Readiness} />`} ${tab.key === 'initiatives' && html`<${Initiatives} />`} ${tab.key === 'records' && html`<${RecordsTab} />`} ${tab.key === 'programs' && html`<${Programs} />`}
      ${tab.key === 'kpis' && html`<${Kpis} />`} ${tab.key === 'collab' && html`<${Collaboration} />`} ${tab.key === 'evaluation' && html`<${Evaluation} />`}
    </div>
  `;
}

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
    <div class="mp-export row wrap" role="group" aria-label=${tx('export')}>
      <button class="ghost" disabled=${!!busy} data-testid="export-docx" onClick=${() => get('docx', '/masterplan/export.docx?book=masterplan', 'rencana-induk.docx')}>${busy === 'docx' ? tx('loading') : tx('exportDocx')}</button>
      <button class="ghost" disabled=${!!busy} data-testid="export-strategic" onClick=${() => get('strategic', '/masterplan/export.docx?book=strategic', 'buku-1-analisis-strategis.docx')}>${busy === 'strategic' ? tx('loading') : tx('exportStrategic')}</button>
      <button class="ghost" disabled=${!!busy} data-testid="export-pdf" onClick=${() => get('pdf', '/masterplan/export.pdf?book=masterplan', 'rencana-induk.pdf')}>${busy === 'pdf' ? tx('loading') : tx('exportPdf')}</button>
      <${Message} error=${error} />
    </div>
  `;
}
