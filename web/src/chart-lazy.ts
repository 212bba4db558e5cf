/**
 * The asset chart for the command center, fetched when the first chart is drawn: uPlot and
 * its styles are not part of the first screen (a chart appears only once an asset is chosen).
 */
import { texts } from './i18n.js';

type Draw = typeof import('./chart.js').drawChart;

const cx = texts({ failed: ['Grafik tidak dapat dimuat. Muat ulang halaman.', 'The chart could not be loaded. Reload the page.'] });

let loading: Promise<Draw> | null = null;

export function drawChart(...args: Parameters<Draw>): Promise<void> {
  const el = args[0];
  loading ??= import('./chart.js').then((m) => m.drawChart);
  return loading.then(
    (draw) => {
      // The element may have left the page while uPlot was on its way.
      if (el.isConnected) draw(...args);
    },
    () => {
      // Offline for a moment: the next chart tries again.
      loading = null;
      el.textContent = cx('failed');
    },
  );
}
