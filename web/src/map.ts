import L from 'leaflet';
import type { Asset } from '../../src/modules/assets/assets.contract.js';
import 'leaflet/dist/leaflet.css';

/** What the map needs of an asset. */
export type MapAsset = Pick<Asset, 'id' | 'name' | 'type' | 'location'>;

const LAYER_STYLE: Record<string, L.PathOptions> = {
  kecamatan: { color: '#5b6b7b', weight: 1, fillColor: '#e8eef3', fillOpacity: 0.6 },
  rivers: { color: '#2c7fb8', weight: 3, opacity: 0.8 },
};

/**
 * The regency map: its own GeoJSON layers as the base map (no tiles from the
 * internet unless a tile URL is configured), one marker per asset, coloured by
 * state, moved when a vehicle reports where it is.
 */
export class RegionMap {
  readonly map: L.Map;
  private readonly markers = new Map<string, L.CircleMarker>();

  constructor(el: HTMLElement, options: { tileUrl?: string | null; onSelect: (assetId: string) => void }) {
    this.map = L.map(el, { preferCanvas: true, zoomControl: true, attributionControl: false, keyboard: true, zoomSnap: 0.25 });
    if (options.tileUrl) L.tileLayer(options.tileUrl, { maxZoom: 18 }).addTo(this.map);
    this.onSelect = options.onSelect;
    this.map.setView([-3.35, 103.08], 10);
  }

  private readonly onSelect: (assetId: string) => void;

  addLayers(layers: { key: string; name: { id: string; en: string }; geojson: GeoJSON.FeatureCollection }[], lang: 'id' | 'en'): void {
    const overlays: Record<string, L.Layer> = {};
    let bounds: L.LatLngBounds | null = null;
    for (const layer of layers) {
      const style = LAYER_STYLE[layer.key] ?? { color: '#c0392b', weight: 1 };
      const g = L.geoJSON(layer.geojson, {
        style: () => style,
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 5, color: '#b30000', fillColor: '#ff5a36', fillOpacity: 0.9, weight: 1 }),
        onEachFeature: (f, l) => {
          const name = (f.properties as { name?: string } | null)?.name;
          if (name) l.bindTooltip(textNode(name), { sticky: true });
        },
      }).addTo(this.map);
      // Leaflet's layer control writes these names as HTML; an admin's layer name is text.
      overlays[escapeHtml(layer.name[lang])] = g;
      if (layer.key === 'kecamatan') bounds = g.getBounds();
    }
    if (Object.keys(overlays).length > 0) L.control.layers({}, overlays, { collapsed: true }).addTo(this.map);
    if (bounds?.isValid()) this.map.fitBounds(bounds, { padding: [10, 10] });
  }

  setAssets(assets: MapAsset[]): void {
    for (const a of assets) {
      if (!a.location) continue;
      const marker = L.circleMarker([a.location.lat, a.location.lon], { radius: a.type === 'vehicle' ? 8 : 6, weight: 2, color: '#fff', fillOpacity: 0.95, fillColor: '#3182bd' });
      marker.bindTooltip(textNode(a.name));
      marker.on('click', () => this.onSelect(a.id));
      marker.on('keypress', () => this.onSelect(a.id));
      marker.addTo(this.map);
      this.markers.set(a.id, marker);
    }
  }

  color(assetId: string, fill: string): void {
    const m = this.markers.get(assetId);
    if (m && m.options.fillColor !== fill) m.setStyle({ fillColor: fill });
  }

  move(assetId: string, lat: number, lon: number): void {
    this.markers.get(assetId)?.setLatLng([lat, lon]);
  }

  get markerCount(): number {
    return this.markers.size;
  }

  destroy(): void {
    this.map.remove();
  }
}

/** Leaflet puts a string tooltip into innerHTML; names come from users, so they go in as text. */
function textNode(text: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  return el;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
