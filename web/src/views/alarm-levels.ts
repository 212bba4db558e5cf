/** An alarm's level (its severity) as a coloured chip, its history of levels, and words for rule conditions. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import type { AlarmWithHistory } from '../../../src/modules/alarms/alarms.contract.js';
import type { ConditionShape } from '../format.js';
import { formatTime, severityName, texts } from '../i18n.js';
import { conditionOf, labelOf, valueOf } from '../profiles.js';

export const vx = texts({
  levelHistory: ['Riwayat level', 'Level history'],
  noLevelChange: ['Level belum berubah sejak dibuka', 'The level has not changed since it opened'],
  opened: ['Dibuka', 'Opened'],
  cleared: ['Selesai', 'Cleared'],
  unacknowledged: ['Level naik: perlu ditangani lagi', 'Level rose: to be acknowledged again'],
  value: ['nilai', 'value'],
  anyData: ['Data apa pun', 'Any data'],
});

/** A telemetry key's label from the device profiles (*Tinggi muka air*); the key itself where none names it. */
export function keyName(key: string, type?: string | null): string {
  return key === '*' ? vx('anyData') : labelOf(type, key);
}

export type { ConditionShape };

/** A condition in words with the key's label and unit, e.g. *Tinggi muka air ≥ 3,5 m*. */
export function conditionText(c: ConditionShape, key: string, type?: string | null): string {
  return conditionOf(type, key, c);
}

/** The alarm's current level, coloured as on the map (Waspada yellow, Siaga orange, Awas red). */
export function LevelChip({ severity }: { severity: string }) {
  return html`<span class=${`level-chip lvl-${severity}`} data-testid="level-chip" data-severity=${severity}>${severityName(severity)}</span>`;
}

type HistoryLine = AlarmWithHistory['history'][number];

/** How an alarm's level went: time, from → to and the reading, newest last; read again when the level changes. */
export function LevelHistory({ alarmId, severity, valueKey = null, deviceType = null }: { alarmId: string; severity: string; valueKey?: string | null; deviceType?: string | null }) {
  const [lines, setLines] = useState<HistoryLine[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    api<{ history: HistoryLine[] }>('GET', `/alarms/${alarmId}`)
      .then((a) => !cancelled && setLines(a.history))
      .catch(() => !cancelled && setLines([]));
    return () => {
      cancelled = true;
    };
  }, [alarmId, severity]);
  if (lines === null) return null;
  const shown = lines.filter((l) => l.kind === 'opened' || l.kind === 'level_changed' || l.kind === 'unacknowledged');
  const changes = shown.filter((l) => l.kind === 'level_changed').length;
  return html`
    <details class="level-history" data-testid="level-history" open=${changes > 0}>
      <summary>${vx('levelHistory')} (${changes})</summary>
      ${changes === 0 && html`<p class="muted small">${vx('noLevelChange')}</p>`}
      <ol>
        ${shown.map(
          (l) => html`<li class="small">
            <span class="muted">${formatTime(l.at)}</span>
            ${l.kind === 'level_changed'
              ? html` <${LevelChip} severity=${l.from ?? ''} /> → <${LevelChip} severity=${l.to ?? ''} />${l.value !== null ? html` · ${vx('value')} ${valueKey ? valueOf(deviceType, valueKey, l.value) : String(l.value)}` : ''}`
              : ` ${vx(l.kind === 'opened' ? 'opened' : 'unacknowledged')}`}
          </li>`,
        )}
      </ol>
    </details>
  `;
}
