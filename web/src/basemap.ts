/**
 * The offline vector base map: the regency's PMTiles extract that the platform
 * serves at `basemapUrl`, drawn on canvas by protomaps-leaflet in the Protomaps
 * "light" style. Loaded only on a map whose installation has one, so that the
 * renderer (~100 KB) costs nothing elsewhere.
 */
import L from 'leaflet';
import { getLang } from './i18n.js';

/** For browser tests: how many base-map tiles have been drawn. */
declare global {
  interface Window {
    cerdasBasemapTiles?: number;
  }
}

/** The archive's deepest zoom (byte 101 of its 127-byte header): past it tiles are drawn larger, not asked for. */
async function maxZoomOf(url: string): Promise<number> {
  const res = await fetch(url, { headers: { range: 'bytes=0-126' } });
  if (!res.ok) throw new Error(`base map: ${res.status}`);
  const head = new Uint8Array(await res.arrayBuffer());
  if (head.length < 127 || new TextDecoder().decode(head.subarray(0, 7)) !== 'PMTiles') throw new Error('base map: not a PMTiles archive');
  return head[101]!;
}

/** Adds the base map under the region's layers; a failure leaves the map as it was (its own layers still drawn). */
export async function addBasemap(map: L.Map, url: string): Promise<void> {
  const maxDataZoom = await maxZoomOf(url);
  // protomaps-leaflet builds its layer on the global Leaflet of a script-tag page.
  Object.assign(window, { L });
  const { leafletLayer } = await import('protomaps-leaflet');
  const layer = leafletLayer({
    url,
    flavor: 'light',
    lang: getLang(),
    maxDataZoom,
    attribution: '<a href="https://protomaps.com" target="_blank" rel="noopener">Protomaps</a> © <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a>',
  });
  window.cerdasBasemapTiles ??= 0;
  layer.on('tileload', () => {
    window.cerdasBasemapTiles = (window.cerdasBasemapTiles ?? 0) + 1;
  });
  layer.addTo(map);
  layer.bringToBack();
}
