/** Notifikasi (admins): the channels, the message templates and the log, each under its own address. */
import { html } from '../html.js';
import { NotificationChannels } from './notify-channels.js';
import { nx } from './notify-common.js';
import { NotificationLog } from './notify-log.js';
import { NotificationTemplates } from './notify-templates.js';

const PARTS = [
  { path: '/admin/notifications', label: () => nx('channelsTab'), view: NotificationChannels },
  { path: '/admin/notifications/templates', label: () => nx('templatesTab'), view: NotificationTemplates },
  { path: '/admin/notifications/log', label: () => nx('logTab'), view: NotificationLog },
];

export function NotificationsAdmin({ route }: { route: string }) {
  const part = PARTS.find((p) => p.path === route) ?? PARTS[0]!;
  const View = part.view;
  return html`
    <nav class="tabs sub" aria-label=${nx('tab')}>
      ${PARTS.map((p) => html`<a href=${`#${p.path}`} class=${p === part ? 'active' : ''} aria-current=${p === part ? 'page' : undefined}>${p.label()}</a>`)}
    </nav>
    <${View} />
  `;
}
