/**
 * A screen fetched when it is first opened (its own chunk), so the command center's first load
 * carries only what the command center shows. While it comes: "Memuat …"; if it cannot come
 * (offline, a new version deployed meanwhile): a message to reload.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { texts } from '../i18n.js';

const lx = texts({
  loading: ['Memuat …', 'Loading …'],
  failed: ['Halaman tidak dapat dimuat. Muat ulang halaman.', 'The page could not be loaded. Reload the page.'],
});

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyView(props: P) {
    const [View, setView] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (View) return;
      let live = true;
      pending ??= load();
      pending
        .then((v) => {
          loaded = v;
          if (live) setView(() => v);
        })
        .catch(() => {
          pending = null;
          if (live) setFailed(true);
        });
      return () => {
        live = false;
      };
    }, []);
    if (failed) return html`<p class="error" role="alert">${lx('failed')}</p>`;
    return View ? html`<${View} ...${props} />` : html`<p class="muted" style="padding:1rem">${lx('loading')}</p>`;
  };
}
