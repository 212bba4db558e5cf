/** Piket sekarang: the command center's card of who is on duty in each OPD, refreshed every minute. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { clockTime, dx, positionName } from './duty-common.js';
import type { OnDutyView as OnDuty } from '../../../src/modules/duty/duty.contract.ts';


export function OnDutyCard() {
  const [data, setData] = useState<OnDuty | null>(null);
  useEffect(() => {
    const load = () => api<OnDuty>('GET', '/duty/now').then(setData, () => {});
    load();
    const timer = setInterval(load, 60_000);
    return () => clearInterval(timer);
  }, []);
  if (!data) return null;
  const shown = data.opds.filter((o) => o.hasRoster || o.people.length > 0);
  return html`
    <section class="cc-duty" aria-label=${dx('nowTitle')} data-testid="on-duty">
      <h2>${dx('nowTitle')}</h2>
      ${shown.length === 0 && html`<p class="muted small">${dx('noRoster')} <a href="#/admin/duty">${dx('rosterTab')} →</a></p>`}
      <ul>
        ${shown.map(
          (o) => html`<li data-opd=${o.opdCode} title=${o.opdName}>
            <strong>${o.opdCode}</strong>
            ${o.people.length === 0
              ? html` <span class="muted">${dx('nobody')}</span>`
              : o.people.map((p) => html` <span class="duty-person">${p.name}${p.position ? html` <span class="muted small">(${positionName(p.position)})</span>` : ''} <span class="muted small">${dx('until')} ${clockTime(p.until, data.timezone)}</span></span>`)}
          </li>`,
        )}
      </ul>
    </section>
  `;
}
