import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api.js';
import { html } from './html.js';
import { getLang, onLangChange, setLang, t } from './i18n.js';
import './styles.css';
import { AdminView } from './views/admin.js';
import { CommandCenter } from './views/command-center.js';
import { IncidentsView } from './views/incidents.js';
import { ix } from './views/incidents-common.js';
import { LoginView } from './views/login.js';
import { MasterplanView, masterplanNav } from './views/masterplan-lazy.js';
import { WarningsView, warningsNav } from './views/warnings.js';

function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = () => setRoute(location.hash.slice(1) || '/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function App() {
  const route = useRoute();
  const [, rerender] = useState(0);
  useEffect(() => onLangChange(() => rerender((n) => n + 1)), []);
  if (!session.token || route === '/login') return html`<${LoginView} />`;
  const nav = (href: string, label: string) => html`<a href=${href} class=${route === href.slice(1) || route.startsWith(`${href.slice(1)}/`) || (href === '#/' && route === '/') ? 'active' : ''}>${label}</a>`;
  return html`
    <div class="shell">
      <header class="topbar">
        <strong class="brand">${t('appName')}</strong>
        <nav aria-label="main">${nav('#/', t('commandCenter'))} ${nav('#/incidents', ix('incidentsNav'))} ${nav('#/sla', ix('slaNav'))} ${nav('#/warnings', warningsNav())} ${nav('#/admin', t('admin'))} ${nav('#/masterplan', masterplanNav())}</nav>
        <span class="spacer"></span>
        <label class="lang">
          <span class="sr-only">${t('language')}</span>
          <select aria-label=${t('language')} value=${getLang()} onChange=${(e: Event) => setLang((e.target as HTMLSelectElement).value as 'id' | 'en')}>
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </label>
        <button class="ghost" onClick=${() => {
          session.set(null);
          location.hash = '#/login';
        }}>${t('logout')}</button>
      </header>
      <main>${route.startsWith('/admin') ? html`<${AdminView} route=${route} />` : route.startsWith('/incidents') || route === '/sla' ? html`<${IncidentsView} route=${route} />` : route.startsWith('/masterplan') ? html`<${MasterplanView} route=${route} />` : route === '/warnings' ? html`<${WarningsView} />` : html`<${CommandCenter} />`}</main>
    </div>
  `;
}

document.documentElement.lang = getLang();
render(html`<${App} />`, document.getElementById('app')!);
