/**
 * The region's own layers drawn as a base map, on every map of the app and of the
 * public pages: the regency as land, the kecamatan with their names, rivers
 * (hand-drawn ones dashed), roads; a metric scale and the credit each layer's data
 * asks for. Works with no tiles at all; TILE_URL tiles or the offline PMTiles
 * extract (basemap.ts) go under it.
 */
import L from 'leaflet';
import type { RegionLayer } from '../../src/modules/identity/identity.contract.js';
import { getLang, onLangChange, texts } from './i18n.js';
import './map.css';

export type MapLayer = Pick<RegionLayer, 'key' | 'name' | 'approximate' | 'geojson'>;

export const mx = texts({
  legend: ['Legenda', 'Legend'],
  zoomIn: ['Perbesar', 'Zoom in'],
  zoomOut: ['Perkecil', 'Zoom out'],
  rivers: ['sungai', 'rivers'],
});

/** How each kind of layer is drawn; the legend shows the same. */
export const LAYER_STYLE: Record<string, L.PathOptions> = {
  regency: { color: '#3d4a57', weight: 2.5, fillColor: '#f4f1e8', fillOpacity: 1 },
  kecamatan: { color: '#7b8794', weight: 1, dashArray: '4 3', fill: false },
  rivers: { color: '#2c7fb8', weight: 3, opacity: 0.9 },
  tributaries: { color: '#2c7fb8', weight: 2, opacity: 0.8, dashArray: '6 5' },
  roads: { color: '#b5651d', weight: 2, opacity: 0.9 },
};
const OTHER_STYLE: L.PathOptions = { color: '#c0392b', weight: 1 };
export const HOTSPOT_STYLE: L.CircleMarkerOptions = { radius: 5, color: '#b30000', fillColor: '#ff5a36', fillOpacity: 0.9, weight: 1 };
/** The pane of the region's layers: above tiles (200), below markers (400). */
const BASE_PANE = 'regionBase';
const OSM_COPYRIGHT = 'https://www.openstreetmap.org/copyright';

/** What the map must credit: each distinct credit once, a layer's name before one that is not a copyright line. */
export function attributionOf(layers: readonly MapLayer[], lang: 'id' | 'en'): { text: string; osm: boolean }[] {
  const byText = new Map<string, string[]>();
  for (const l of layers) {
    const credit = l.geojson.attribution?.trim();
    if (!credit) continue;
    byText.set(credit, [...(byText.get(credit) ?? []), l.key === 'rivers' || l.key === 'tributaries' ? mx('rivers') : l.name[lang]]);
  }
  return [...byText].map(([credit, names]) => ({
    text: credit.startsWith('©') ? credit : `${[...new Set(names)].join(', ')}: ${credit}`,
    osm: /OpenStreetMap/i.test(credit),
  }));
}

/** The credit as the attribution control's HTML: text escaped, "OpenStreetMap contributors" linked as its licence asks. */
export function attributionHtml(credits: { text: string; osm: boolean }[]): string {
  return credits
    .map(({ text, osm }) => {
      const safe = escapeHtml(text);
      return osm ? safe.replace(/OpenStreetMap( contributors)?/, (m) => `<a href="${OSM_COPYRIGHT}" target="_blank" rel="noopener">${m}</a>`) : safe;
    })
    .join(' · ');
}

/**
 * A point inside the polygon for its label: the middle of the widest inside stretch along a line of
 * latitude; within `clip` (the part of the map on screen) when given, so a large kecamatan is named where it is seen.
 */
export function labelPoint(rings: number[][][], clip?: { west: number; south: number; east: number; north: number }): [number, number] | null {
  const outer = rings[0];
  if (!outer || outer.length < 4) return null;
  let south = Infinity;
  let north = -Infinity;
  for (const [, lat] of outer) {
    south = Math.min(south, lat!);
    north = Math.max(north, lat!);
  }
  if (clip) {
    south = Math.max(south, clip.south);
    north = Math.min(north, clip.north);
    if (south >= north) return null;
  }
  let best: { width: number; lon: number; lat: number } | null = null;
  for (let k = 1; k < 24; k++) {
    const lat = south + ((north - south) * k) / 24;
    const xs: number[] = [];
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > lat !== yj > lat) xs.push(xi + ((lat - yi) * (xj - xi)) / (yj - yi));
      }
    }
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const from = clip ? Math.max(xs[i]!, clip.west) : xs[i]!;
      const to = clip ? Math.min(xs[i + 1]!, clip.east) : xs[i + 1]!;
      if (to <= from) continue;
      xs[i] = from;
      xs[i + 1] = to;
      const width = to - from;
      // Stretches near the middle latitude win ties: a label sits in the body of the shape, not in a long arm at its edge.
      const weight = width * (1 - 0.4 * Math.abs(k - 12) / 12);
      if (!best || weight > best.width) best = { width: weight, lon: (xs[i]! + xs[i + 1]!) / 2, lat };
    }
  }
  return best ? [best.lon, best.lat] : null;
}

function outerRings(geometry: unknown): number[][][][] {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return [g.coordinates as number[][][]];
  if (g?.type === 'MultiPolygon') return g.coordinates as number[][][][];
  return [];
}

interface Label {
  marker: L.Marker;
  /** where the name stands when the whole kecamatan is in view */
  home: L.LatLng;
  rings: number[][][];
  el: HTMLElement;
  bounds: L.LatLngBounds;
  area: number;
}

/**
 * Kecamatan names as labels that never clutter: a name is shown only where its
 * kecamatan is wide enough on screen to hold it, and not over a larger one's
 * name; more appear as the map is zoomed in.
 */
export class KecamatanLabels {
  private readonly labels: Label[] = [];
  private readonly map: L.Map;

  constructor(map: L.Map, layer: MapLayer) {
    this.map = map;
    for (const f of layer.geojson.features) {
      const name = (f.properties as { name?: unknown } | undefined)?.name;
      if (typeof name !== 'string' || name === '') continue;
      const polygons = outerRings(f.geometry);
      const biggest = polygons.map((p) => ({ p, area: ringArea(p[0] ?? []) })).sort((a, b) => b.area - a.area)[0];
      const at = biggest && labelPoint(biggest.p);
      if (!at) continue;
      const el = document.createElement('span');
      el.textContent = name;
      const marker = L.marker([at[1], at[0]], { icon: L.divIcon({ className: 'kec-label', html: el, iconSize: undefined }), interactive: false, keyboard: false, pane: 'kecLabels' });
      const bounds = L.latLngBounds(biggest.p[0]!.map(([lon, lat]) => [lat!, lon!] as [number, number]));
      this.labels.push({ marker, home: marker.getLatLng(), rings: biggest.p, el, bounds, area: biggest.area });
    }
    this.labels.sort((a, b) => b.area - a.area);
    if (!map.getPane('kecLabels')) {
      const pane = map.createPane('kecLabels');
      // Above the region's shapes (350), below the markers (400): a name never hides an asset.
      pane.style.zIndex = '380';
      pane.style.pointerEvents = 'none';
    }
    for (const l of this.labels) l.marker.addTo(map);
    map.on('zoomend moveend resize', this.place, this);
    map.whenReady(() => this.place());
  }

  /** How many names are shown now (for tests). */
  get shown(): number {
    return this.labels.filter((l) => l.el.parentElement?.style.display !== 'none').length;
  }

  place(): void {
    const taken: L.Bounds[] = [];
    const view = this.map.getBounds().pad(-0.08);
    for (const l of this.labels) {
      const container = l.el.parentElement;
      if (!container) continue;
      // A kecamatan seen only in part (zoomed in on a spot) is named inside the part on screen.
      if (view.contains(l.home)) l.marker.setLatLng(l.home);
      else if (view.intersects(l.bounds)) {
        const at = labelPoint(l.rings, { west: view.getWest(), south: view.getSouth(), east: view.getEast(), north: view.getNorth() });
        if (at) l.marker.setLatLng([at[1], at[0]]);
      }
      const inView = view.contains(l.marker.getLatLng());
      const ne = this.map.latLngToContainerPoint(l.bounds.getNorthEast());
      const sw = this.map.latLngToContainerPoint(l.bounds.getSouthWest());
      const width = 7 * (l.el.textContent?.length ?? 0);
      const at = this.map.latLngToContainerPoint(l.marker.getLatLng());
      const box = L.bounds([at.x - width / 2 - 4, at.y - 10], [at.x + width / 2 + 4, at.y + 10]);
      const fits = ne.x - sw.x >= width * 0.8 && sw.y - ne.y >= 18;
      const show = inView && fits && !taken.some((t) => t.intersects(box));
      container.style.display = show ? '' : 'none';
      if (show) taken.push(box);
    }
  }

  remove(): void {
    this.map.off('zoomend moveend resize', this.place, this);
    for (const l of this.labels) l.marker.remove();
  }
}

function ringArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j]![0]! + ring[i]![0]!) * (ring[j]![1]! - ring[i]![1]!);
  return Math.abs(a / 2);
}

export interface DrawnBase {
  /** the drawn layers by their keys, for a layer control */
  byKey: Map<string, L.Layer>;
  /** the regency's (else the kecamatan's) extent, to fit the map to */
  bounds: L.LatLngBounds | null;
  labels: KecamatanLabels | null;
}

/**
 * Draws the layers in their base order (land, boundaries, water, roads, then
 * the rest), names the kecamatan, adds the metric scale and the credits.
 * `underlay`: tiles or a vector base map are drawn below, so the land is
 * see-through.
 */
export function drawBase(map: L.Map, layers: readonly MapLayer[], options: { underlay: boolean; interactive: boolean }): DrawnBase {
  if (!map.getPane(BASE_PANE)) map.createPane(BASE_PANE).style.zIndex = '350';
  const order = ['regency', 'kecamatan', 'tributaries', 'rivers', 'roads'];
  const sorted = [...layers].sort((a, b) => (order.indexOf(a.key) + 1 || 99) - (order.indexOf(b.key) + 1 || 99));
  const byKey = new Map<string, L.Layer>();
  let bounds: L.LatLngBounds | null = null;
  let labels: KecamatanLabels | null = null;
  for (const layer of sorted) {
    const style = { ...(LAYER_STYLE[layer.key] ?? OTHER_STYLE) };
    if (layer.key === 'regency' && options.underlay) style.fillOpacity = 0.25;
    const base = order.includes(layer.key);
    const g = L.geoJSON(layer.geojson as GeoJSON.GeoJsonObject, {
      style: () => style,
      ...(base && { pane: BASE_PANE }),
      interactive: options.interactive && !['regency', 'kecamatan'].includes(layer.key),
      pointToLayer: (_f, latlng) => L.circleMarker(latlng, HOTSPOT_STYLE),
      onEachFeature: (f, l) => {
        const name = (f.properties as { name?: string } | null)?.name;
        if (name && options.interactive) l.bindTooltip(textNode(name), { sticky: true });
      },
    }).addTo(map);
    byKey.set(layer.key, g);
    if (layer.key === 'regency' || (layer.key === 'kecamatan' && !bounds)) bounds = g.getBounds();
    if (layer.key === 'kecamatan') labels = new KecamatanLabels(map, layer);
  }
  L.control.scale({ metric: true, imperial: false, maxWidth: 140 }).addTo(map);
  // The map's own attribution control, so that tiles and the vector base map add their credits to the same line.
  const control = map.attributionControl ?? L.control.attribution().addTo(map);
  control.setPrefix(false);
  let credit = '';
  let zoom: L.Control.Zoom | null = null;
  const wordControls = () => {
    // Leaflet's own zoom buttons are titled in English: the map's buttons speak the reader's language.
    if (map.zoomControl || zoom) {
      map.zoomControl?.remove();
      zoom?.remove();
      zoom = L.control.zoom({ zoomInTitle: mx('zoomIn'), zoomOutTitle: mx('zoomOut') }).addTo(map);
    }
    if (credit) control.removeAttribution(credit);
    const credits = attributionOf(layers, getLang());
    credit = credits.length > 0 ? attributionHtml(credits) : '';
    if (credit) control.addAttribution(credit);
  };
  wordControls();
  // The credit names layers in the reader's language ("sungai" / "rivers"), as the zoom buttons speak it: worded again when it changes.
  const stop = onLangChange(wordControls);
  map.on('unload', stop);
  return { byKey, bounds: bounds?.isValid() ? bounds : null, labels };
}

/** Leaflet puts a string tooltip into innerHTML; names come from users, so they go in as text. */
export function textNode(text: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  return el;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
