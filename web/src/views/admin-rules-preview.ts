/** The editor's preview: “over the last 7 days this rule would have fired N times”, with when, where and how high. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { formatNumber, formatTime, texts } from '../i18n.js';
import { valueOf } from '../profiles.js';
import { PREVIEW_DAYS } from '../../../src/modules/rules/rules.constants.ts';
import type { RuleBody, RulePreview as Preview } from '../../../src/modules/rules/rules.contract.ts';
import { fill } from './admin-common.js';
import { LevelChip } from './alarm-levels.js';
import { refusal } from './admin-rules-words.js';

const vx = texts({
  run: ['Pratinjau {days} hari terakhir', 'Preview the last {days} days'],
  running: ['Menghitung…', 'Counting…'],
  fired: ['Selama {days} hari terakhir aturan ini akan berbunyi {n} kali.', 'Over the last {days} days this rule would have fired {n} times.'],
  never: ['Selama {days} hari terakhir aturan ini tidak akan berbunyi.', 'Over the last {days} days this rule would not have fired.'],
  read: ['Dihitung dari {readings} data {devices} perangkat.', 'Counted from {readings} readings of {devices} devices.'],
  noDevices: ['Belum ada perangkat yang cocok dengan aturan ini.', 'No device matches this rule yet.'],
  rows: ['Terlalu banyak data: hanya sebagian perangkat yang dihitung.', 'Too much data: only some devices were counted.'],
  devices: ['Terlalu banyak perangkat: hanya sebagian yang dihitung.', 'Too many devices: only some were counted.'],
  time: ['Waktu habis: hanya sebagian perangkat yang dihitung.', 'Out of time: only some devices were counted.'],
  opened: ['Mulai', 'Opened'],
  device: ['Perangkat', 'Device'],
  level: ['Level', 'Level'],
  reading: ['Nilai', 'Reading'],
  until: ['Selesai', 'Cleared'],
  stillOpen: ['masih terbuka', 'still open'],
  highest: ['naik ke', 'rose to'],
  more: ['… dan {n} lagi', '… and {n} more'],
  noData: ['tanpa data', 'no data'],
  note: ['Seolah aturan dibuat {days} hari lalu tanpa alarm terbuka; tidak ada yang disimpan atau dikirim.', 'As if the rule had been made {days} days ago with no alarm open; nothing is saved or sent.'],
});

/** `build` gives the body to preview, or null when the form has problems to fix first (it shows them). */
export function RulePreview({ build, keyName }: { build: () => RuleBody | null; keyName: string }) {
  const [result, setResult] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const days = PREVIEW_DAYS;
  const run = async () => {
    const rule = build();
    if (rule === null) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api<Preview>('POST', '/rules/preview', { rule, days }));
    } catch (err) {
      setResult(null);
      setError(refusal(err).text);
    } finally {
      setBusy(false);
    }
  };
  const shown = result?.firings ?? [];
  return html`
    <section class="rule-preview" data-testid="rule-preview" aria-live="polite">
      <button type="button" class="ghost" disabled=${busy} onClick=${run}>${busy ? vx('running') : fill(vx('run'), { days })}</button>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${result &&
      html`<div data-testid="preview-result">
        <p class="preview-summary"><strong>${result.devices === 0 ? vx('noDevices') : fill(vx(result.fired === 0 ? 'never' : 'fired'), { days, n: formatNumber(result.fired) })}</strong></p>
        <p class="muted small">${fill(vx('read'), { readings: formatNumber(result.readings), devices: formatNumber(result.devices) })} ${fill(vx('note'), { days })}</p>
        ${result.stoppedBy && html`<p class="warn small">${vx(result.stoppedBy)}</p>`}
        ${shown.length > 0 &&
        html`<div class="scroll"><table class="preview-table">
          <thead><tr><th>${vx('opened')}</th><th>${vx('device')}</th><th>${vx('level')}</th><th>${vx('reading')}</th><th>${vx('until')}</th></tr></thead>
          <tbody>
            ${shown.map(
              (f) => html`<tr data-testid="preview-firing">
                <td>${formatTime(f.openedAt)}</td>
                <td>${f.deviceName}</td>
                <td><${LevelChip} severity=${f.severity} />${f.highestSeverity !== f.severity && html` ${vx('highest')} <${LevelChip} severity=${f.highestSeverity} />`}</td>
                <td>${f.value === null ? vx('noData') : valueOf(f.deviceType, keyName, f.value)}</td>
                <td>${f.clearedAt === null ? html`<em>${vx('stillOpen')}</em>` : formatTime(f.clearedAt)}</td>
              </tr>`,
            )}
          </tbody>
        </table></div>`}
        ${result.fired > shown.length && html`<p class="muted small">${fill(vx('more'), { n: formatNumber(result.fired - shown.length) })}</p>`}
      </div>`}
    </section>
  `;
}
