/**
 * Leaflet for the public pages, loaded only when a map is shown (picking a spot, the map of
 * reports): the first page stays small on a slow connection. The base is the region's own
 * layers (regency, kecamatan with their names, rivers, roads: GET /api/v1/public/layers),
 * so that a resident finds their place with no internet; the region's tile URL or its
 * offline PMTiles extract goes under them when configured. Nothing comes from the internet.
 */
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { drawBase, type MapLayer } from '../map-base.js';
import { request, type PublicConfig } from './common.js';

/** For browser tests: how many kecamatan names the last public map shows. */
declare global {
  interface Window {
    cerdasPublicMap?: { layers: number; labelsShown: () => number };
  }
}

let baseLayers: Promise<MapLayer[]> | null = null;
/** The region's base layers, fetched once a page (the server answers 304 when the browser has them). */
function layersOnce(): Promise<MapLayer[]> {
  baseLayers ??= request<MapLayer[]>('/api/v1/public/layers').catch(() => {
    baseLayers = null;
    return [];
  });
  return baseLayers;
}

async function base(el: HTMLElement, c: PublicConfig): Promise<L.Map> {
  const map = L.map(el, { attributionControl: true, zoomSnap: 0.5 });
  if (c.tileUrl) L.tileLayer(c.tileUrl, { maxZoom: 18 }).addTo(map);
  if (c.basemapUrl) {
    import('../basemap.js').then((m) => m.addBasemap(map, c.basemapUrl!)).catch(() => {
      // the region's own layers stay
    });
  }
  if (c.bounds) map.fitBounds(c.bounds);
  else map.setView(c.center, 10);
  const layers = await layersOnce();
  const drawn = drawBase(map, layers, { underlay: Boolean(c.tileUrl || c.basemapUrl), interactive: false });
  // Without any layer of its own the region's extent is still outlined, so the map is not an empty box.
  if (layers.length === 0 && c.bounds) L.rectangle(c.bounds, { color: '#0b5cad', weight: 1, fill: false, dashArray: '4 4', interactive: false }).addTo(map);
  if (drawn.bounds && !c.bounds) map.fitBounds(drawn.bounds);
  window.cerdasPublicMap = { layers: layers.length, labelsShown: () => drawn.labels?.shown ?? 0 };
  return map;
}

export interface Picker {
  set(lat: number, lon: number): void;
  destroy(): void;
}

/** A map where a tap puts the report's spot. */
export async function pickOnMap(el: HTMLElement, c: PublicConfig, at: { lat: number; lon: number } | null, onPick: (lat: number, lon: number) => void): Promise<Picker> {
  const map = await base(el, c);
  let marker: L.CircleMarker | null = null;
  const set = (lat: number, lon: number) => {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.circleMarker([lat, lon], { radius: 10, color: '#fff', weight: 3, fillColor: '#d7191c', fillOpacity: 1 }).addTo(map);
  };
  if (at) {
    set(at.lat, at.lon);
    map.setView([at.lat, at.lon], 14);
  }
  map.on('click', (e: L.LeafletMouseEvent) => {
    set(e.latlng.lat, e.latlng.lng);
    onPick(Math.round(e.latlng.lat * 1e6) / 1e6, Math.round(e.latlng.lng * 1e6) / 1e6);
  });
  return { set, destroy: () => map.remove() };
}

export interface ReportPoint {
  ticket: string;
  lat: number;
  lon: number;
  open: boolean;
  label: string;
}

/** The public map of reports: one dot per report, coloured by open/closed. */
export async function reportsMap(el: HTMLElement, c: PublicConfig, onOpen: (ticket: string) => void) {
  const map = await base(el, c);
  const layer = L.layerGroup().addTo(map);
  return {
    show(points: ReportPoint[]) {
      layer.clearLayers();
      for (const p of points) {
        const m = L.circleMarker([p.lat, p.lon], { radius: 8, color: '#fff', weight: 2, fillOpacity: 0.95, fillColor: p.open ? '#f28e2b' : '#1a9641' });
        const tip = document.createElement('span');
        tip.textContent = `${p.ticket} · ${p.label}`; // text from reports goes in as text
        m.bindTooltip(tip);
        m.on('click', () => onOpen(p.ticket));
        m.addTo(layer);
      }
    },
    destroy: () => map.remove(),
  };
}
