import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api.js';
import { html } from './html.js';
import { getLang, onLangChange, setLang, t } from './i18n.js';
import './styles.css';
import { AlarmPage } from './views/alarm-page.js';
import { CommandCenter } from './views/command-center.js';
import { ix } from './views/incidents-common.js';
import { LoginView } from './views/login.js';
import { MasterplanView, masterplanNav } from './views/masterplan-lazy.js';
import { MyContacts, mx } from './views/my-contacts.js';
import { WarningsView, warningsNav } from './views/warnings.js';
import { mayCreate, useMe } from './me.js';
import { lazyView } from './views/lazy-view.js';

// Administration and the incident screens come in their own chunks when opened: the first screen is the command center.
const AdminView = lazyView(() => import('./views/admin.js').then((m) => m.AdminView));
const IncidentsView = lazyView(() => import('./views/incidents.js').then((m) => m.IncidentsView));

function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = () => setRoute(location.hash.slice(1) || '/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** The screen of a route; anything unknown is the command center. */
function page(route: string) {
  if (route.startsWith('/admin')) return html`<${AdminView} route=${route} />`;
  if (route.startsWith('/incidents') || route === '/sla') return html`<${IncidentsView} route=${route} />`;
  if (route.startsWith('/masterplan')) return html`<${MasterplanView} route=${route} />`;
  if (route === '/me/contacts') return html`<${MyContacts} />`;
  if (route === '/warnings') return html`<${WarningsView} />`;
  if (route.startsWith('/alarms/')) {
    const id = decodeURIComponent(route.slice('/alarms/'.length));
    return html`<${AlarmPage} key=${id} id=${id} />`;
  }
  return html`<${CommandCenter} />`;
}

function App() {
  const route = useRoute();
  const me = useMe();
  const [, rerender] = useState(0);
  useEffect(() => onLangChange(() => rerender((n) => n + 1)), []);
  if (!session.token || route === '/login') return html`<${LoginView} />`;
  const nav = (href: string, label: string) => html`<a href=${href} class=${route === href.slice(1) || route.startsWith(`${href.slice(1)}/`) || (href === '#/' && route === '/') ? 'active' : ''}>${label}</a>`;
  return html`
    <div class="shell">
      <header class="topbar">
        <strong class="brand">${t('appName')}</strong>
        <nav aria-label="main">${nav('#/', t('commandCenter'))} ${nav('#/incidents', ix('incidentsNav'))} ${nav('#/sla', ix('slaNav'))} ${mayCreate(me) && nav('#/warnings', warningsNav())} ${nav('#/admin', t('admin'))} ${nav('#/masterplan', masterplanNav())}</nav>
        <span class="spacer"></span>
        <a href="#/me/contacts" class=${route === '/me/contacts' ? 'me active' : 'me'}>${mx('title')}</a>
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
      <main>${page(route)}</main>
    </div>
  `;
}

document.documentElement.lang = getLang();
render(html`<${App} />`, document.getElementById('app')!);
