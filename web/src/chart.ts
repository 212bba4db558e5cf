import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from './format.js';
import { getLang } from './i18n.js';

/** The key's expected range from its profile (min, max, unit). */
export interface Expected {
  min: number | null;
  max: number | null;
  unit: string | null;
}

/**
 * The value axis: uPlot's own range (padded, which for a street light at 100 %
 * all night went to 200 %), kept within the key's expected range while the data
 * are inside it; a percentage inside its range shows the whole range (0–100 %).
 */
export function valueRange(dataMin: number | null, dataMax: number | null, expected?: Expected): [number | null, number | null] {
  if (dataMin === null || dataMax === null || !Number.isFinite(dataMin) || !Number.isFinite(dataMax)) {
    return expected?.min != null && expected.max != null ? [expected.min, expected.max] : [dataMin, dataMax];
  }
  const [lo, hi] = uPlot.rangeNum(dataMin, dataMax, 0.1, true) as [number, number];
  if (!expected) return [lo, hi];
  const { min, max } = expected;
  const aboveMin = min !== null && dataMin >= min;
  const belowMax = max !== null && dataMax <= max;
  if (expected.unit === '%' && aboveMin && belowMax && min < max) return [min, max];
  const bounded: [number, number] = [aboveMin ? Math.max(lo, min) : lo, belowMax ? Math.min(hi, max) : hi];
  return bounded[0] < bounded[1] ? bounded : [lo, hi];
}

/**
 * A line chart of one series; times in seconds as uPlot wants them. The time
 * axis and the legend use a 24-hour clock in WIB in the chosen language (uPlot's
 * own labels are US style), values `format` (the key's decimals and unit), the
 * value axis within the key's `expected` range (valueRange).
 */
export function drawChart(el: HTMLElement, label: string, points: { ts: number; value: unknown }[], format: (v: number) => string = String, expected?: Expected): uPlot {
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
      scales: { y: { range: (_u, dataMin, dataMax) => valueRange(dataMin, dataMax, expected) as uPlot.Range.MinMax } },
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
        {
          size: 70,
          values: (_u, splits) => {
            const labels = splits.map((v) => format(v));
            el.dataset.valueTicks = labels.join(' | ');
            return labels;
          },
        },
      ],
      legend: { show: true },
    },
    [xs, ys],
    el,
  );
}
