import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A line chart of one series; times in seconds as uPlot wants them. */
export function drawChart(el: HTMLElement, label: string, points: { ts: number; value: unknown }[]): uPlot {
  el.innerHTML = '';
  const xs = points.map((p) => p.ts / 1000);
  const ys = points.map((p) => (typeof p.value === 'number' ? p.value : typeof p.value === 'boolean' ? Number(p.value) : null));
  return new uPlot(
    {
      width: Math.max(260, el.clientWidth),
      height: 200,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Jakarta'),
      series: [{}, { label, stroke: '#1f6feb', width: 2, spanGaps: false }],
      axes: [{}, { size: 50 }],
      legend: { show: true },
    },
    [xs, ys],
    el,
  );
}
