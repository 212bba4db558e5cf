import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from './format.js';
import { getLang } from './i18n.js';

/**
 * A line chart of one series; times in seconds as uPlot wants them. The time
 * axis and the legend use a 24-hour clock in WIB in the chosen language (uPlot's
 * own labels are US style), values `format` (the key's decimals and unit).
 */
export function drawChart(el: HTMLElement, label: string, points: { ts: number; value: unknown }[], format: (v: number) => string = String): uPlot {
  el.innerHTML = '';
  const lang = getLang();
  const xs = points.map((p) => p.ts / 1000);
  const ys = points.map((p) => (typeof p.value === 'number' ? p.value : typeof p.value === 'boolean' ? Number(p.value) : null));
  const spanDays = xs.length > 1 ? (xs[xs.length - 1]! - xs[0]!) / 86_400 : 0;
  return new uPlot(
    {
      width: Math.max(260, el.clientWidth),
      height: 200,
      // Ticks fall on round hours and days of WIB.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Jakarta'),
      series: [
        { label: lang === 'id' ? 'Waktu' : 'Time', value: (_u, v) => (v === null ? '—' : formatClock(v * 1000, lang, true)) },
        { label, stroke: '#1f6feb', width: 2, spanGaps: false, value: (_u, v) => (v === null ? '—' : format(v)) },
      ],
      axes: [
        {
          values: (_u, splits) => {
            const labels = splits.map((v) => formatClock(v * 1000, lang, spanDays > 1));
            // The axis is drawn on a canvas: its labels are kept on the element too, for tests and tools that read the page.
            el.dataset.timeTicks = labels.join(' | ');
            return labels;
          },
          size: 40,
        },
        { size: 70, values: (_u, splits) => splits.map((v) => format(v)) },
      ],
      legend: { show: true },
    },
    [xs, ys],
    el,
  );
}
