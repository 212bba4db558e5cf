/**
 * The entry of the master plan workspace for main.ts: the screens (and chart.js
 * behind them) are fetched only when #/masterplan is opened, so the command
 * center's first load stays as it was.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { texts } from '../i18n.js';

const lx = texts({
  masterplan: ['Rencana Induk', 'Master plan'],
  loading: ['Memuat …', 'Loading …'],
  failed: ['Halaman tidak dapat dimuat. Muat ulang halaman.', 'The page could not be loaded. Reload the page.'],
});

/** The label of the top navigation link. */
export const masterplanNav = () => lx('masterplan');

let loaded: ComponentType<{ route: string }> | null = null;

export function MasterplanView({ route }: { route: string }) {
  const [View, setView] = useState<ComponentType<{ route: string }> | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (View) return;
    import('./masterplan.js')
      .then((m) => {
        loaded = m.MasterplanView;
        setView(() => m.MasterplanView);
      })
      .catch(() => setFailed(true));
  }, []);
  if (failed) return html`<p class="error" role="alert">${lx('failed')}</p>`;
  return View ? html`<${View} route=${route} />` : html`<p class="muted" style="padding:1rem">${lx('loading')}</p>`;
}
