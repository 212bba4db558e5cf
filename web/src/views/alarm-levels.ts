/** An alarm's level (its severity) as a coloured chip, its history of levels, and words for rule conditions. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatNumber, formatTime, severityName, texts } from '../i18n.js';

export const vx = texts({
  levelHistory: ['Riwayat level', 'Level history'],
  noLevelChange: ['Level belum berubah sejak dibuka', 'The level has not changed since it opened'],
  opened: ['Dibuka', 'Opened'],
  cleared: ['Selesai', 'Cleared'],
  unacknowledged: ['Level naik: perlu ditangani lagi', 'Level rose: to be acknowledged again'],
  value: ['nilai', 'value'],
  rateAbove: ['naik lebih cepat dari', 'rising faster than'],
  rateBelow: ['berubah lebih lambat dari', 'changing slower than'],
  perMinute: ['/menit', '/min'],
  silence: ['tidak ada data selama', 'no data for'],
  minutes: ['menit', 'min'],
  between: ['antara', 'between'],
  outside: ['di luar', 'outside'],
  and: ['dan', 'and'],
});

/** Names of the telemetry keys the platform and its demo know; any other key is the name its owner gave it. */
const KEY_NAMES: Record<string, [string, string]> = {
  waterLevel: ['Tinggi muka air', 'Water level'],
  pm25: ['PM2.5', 'PM2.5'],
  pm10: ['PM10', 'PM10'],
  rainfall: ['Curah hujan', 'Rainfall'],
  battery: ['Baterai', 'Battery'],
  powerW: ['Daya (W)', 'Power (W)'],
  flowLps: ['Debit (l/s)', 'Flow (l/s)'],
  speedKmh: ['Kecepatan (km/jam)', 'Speed (km/h)'],
  fps: ['Bingkai per detik', 'Frames per second'],
  '*': ['Data apa pun', 'Any data'],
};
const keyText = texts(KEY_NAMES);
export function keyName(key: string): string {
  return key in KEY_NAMES ? keyText(key) : key;
}

export interface ConditionShape {
  op: string;
  value?: number;
  min?: number;
  max?: number;
  minutes?: number;
}

const SYMBOLS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** A condition in words, e.g. "Tinggi muka air ≥ 3,5". */
export function conditionText(c: ConditionShape, key: string): string {
  const name = keyName(key);
  if (c.op in SYMBOLS) return `${name} ${SYMBOLS[c.op]} ${formatNumber(c.value)}`;
  if (c.op === 'between' || c.op === 'outside') return `${name} ${vx(c.op)} ${formatNumber(c.min)} ${vx('and')} ${formatNumber(c.max)}`;
  if (c.op === 'rate_gt') return `${name} ${vx('rateAbove')} ${formatNumber(c.value)}${vx('perMinute')}`;
  if (c.op === 'rate_lt') return `${name} ${vx('rateBelow')} ${formatNumber(c.value)}${vx('perMinute')}`;
  if (c.op === 'silence') return `${vx('silence')} ${formatNumber(c.minutes)} ${vx('minutes')} (${name})`;
  return name;
}

/** The alarm's current level, coloured as on the map (Waspada yellow, Siaga orange, Awas red). */
export function LevelChip({ severity }: { severity: string }) {
  return html`<span class=${`level-chip lvl-${severity}`} data-testid="level-chip" data-severity=${severity}>${severityName(severity)}</span>`;
}

interface HistoryLine {
  kind: string;
  at: number;
  from: string | null;
  to: string | null;
  value: number | null;
}

/** How an alarm's level went: time, from → to and the reading, newest last; read again when the level changes. */
export function LevelHistory({ alarmId, severity }: { alarmId: string; severity: string }) {
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
              ? html` <${LevelChip} severity=${l.from ?? ''} /> → <${LevelChip} severity=${l.to ?? ''} />${l.value !== null ? html` · ${vx('value')} ${formatNumber(l.value)}` : ''}`
              : ` ${vx(l.kind === 'opened' ? 'opened' : 'unacknowledged')}`}
          </li>`,
        )}
      </ol>
    </details>
  `;
}
