import L from 'leaflet';
import type { Asset } from '../../src/modules/assets/assets.contract.js';
import 'leaflet/dist/leaflet.css';
import { getLang, onLangChange, severityName, texts } from './i18n.js';
import { drawBase, escapeHtml, HOTSPOT_STYLE, LAYER_STYLE, mx, textNode, type DrawnBase, type MapLayer } from './map-base.js';

/** What the map needs of an asset. */
export type MapAsset = Pick<Asset, 'id' | 'name' | 'type' | 'location'>;

const lx = texts({
  assets: ['Aset', 'Assets'],
  reporting: ['Melapor', 'Reporting'],
  offline: ['Luring (tidak melapor)', 'Offline (not reporting)'],
  facility: ['Fasilitas tanpa sensor', 'Facility without sensor'],
  info: ['Alarm informasi', 'Information alarm'],
  alarm: ['Alarm', 'Alarm'],
  vehicle: ['Kendaraan (lingkaran besar)', 'Vehicle (larger circle)'],
  layers: ['Lapisan', 'Layers'],
  approximate: ['perkiraan', 'approximate'],
  found: ['Ditemukan', 'Found'],
});

/** The state an asset is drawn in: its colour on the map and its line in the legend. */
export type AssetState = 'ok' | 'offline' | 'facility' | 'info' | 'waspada' | 'siaga' | 'awas';

/** Alarm levels in the colours of the level chips (Waspada yellow, Siaga orange, Awas red); offline is grey, never an alarm colour. */
export const ASSET_STATE_STYLE: Record<AssetState, { fill: string; stroke: string }> = {
  ok: { fill: '#1a9641', stroke: '#ffffff' },
  offline: { fill: '#8a8a8a', stroke: '#ffffff' },
  facility: { fill: '#ffffff', stroke: '#3d4a57' },
  info: { fill: '#2b83ba', stroke: '#ffffff' },
  waspada: { fill: '#f1c40f', stroke: '#5c4a00' },
  siaga: { fill: '#f28e2b', stroke: '#ffffff' },
  awas: { fill: '#d7191c', stroke: '#ffffff' },
};
/** The state of each alarm rank (alarms.constants severityRank: 0 info … 3 awas). */
export const STATE_OF_RANK: AssetState[] = ['info', 'waspada', 'siaga', 'awas'];

/**
 * The regency map: its own GeoJSON layers as the base map (no tiles from the
 * internet unless a tile URL is configured; the offline PMTiles extract under
 * them when one is installed), one marker per asset, coloured by state, moved
 * when a vehicle reports where it is.
 */
export class RegionMap {
  readonly map: L.Map;
  private readonly markers = new Map<string, L.CircleMarker>();
  private readonly onSelect: (assetId: string) => void;
  private readonly underlay: boolean;
  private base: DrawnBase | null = null;
  private layers: MapLayer[] = [];
  private layersControl: L.Control.Layers | null = null;
  private legend: L.Control | null = null;
  private readonly stopLang: () => void;
  private pulse: L.Marker | null = null;
  private pulseFor: string | null = null;
  /** The view the regency was last fitted to, while nobody has moved the map since. */
  private fittedView: { zoom: number; center: L.LatLng } | null = null;
  private readonly resizes: ResizeObserver;

  constructor(el: HTMLElement, options: { tileUrl?: string | null; basemapUrl?: string | null; onSelect: (assetId: string) => void }) {
    this.map = L.map(el, { preferCanvas: true, zoomControl: true, attributionControl: true, keyboard: true, zoomSnap: 0.25 });
    if (options.tileUrl) L.tileLayer(options.tileUrl, { maxZoom: 18 }).addTo(this.map);
    this.underlay = Boolean(options.tileUrl || options.basemapUrl);
    if (options.basemapUrl) {
      import('./basemap.js').then((m) => m.addBasemap(this.map, options.basemapUrl!)).catch(() => {
        // without its base map the map still has the region's own layers
      });
    }
    this.onSelect = options.onSelect;
    this.map.setView([-3.2, 103.06], 9);
    // The page may settle the map's size after the regency was fitted to it (a panel or legend laid out
    // later): the map follows its box, and shows the whole regency again unless someone moved it meanwhile.
    this.resizes = new ResizeObserver(() => {
      const fitted = this.fittedView;
      const untouched = fitted !== null && this.map.getZoom() === fitted.zoom && this.map.getCenter().equals(fitted.center);
      this.map.invalidateSize({ pan: false });
      if (untouched) this.fitRegion();
    });
    this.resizes.observe(el);
    // The map outlives a change of language: its controls are worded again.
    this.stopLang = onLangChange(() => {
      if (this.layersControl) this.addLayersControl();
      if (this.legend) this.addLegend(this.layers);
    });
  }

  private addLayersControl(): void {
    this.layersControl?.remove();
    this.layersControl = null;
    const lang = getLang();
    const overlays: Record<string, L.Layer> = {};
    for (const layer of this.layers) {
      const drawn = this.base?.byKey.get(layer.key);
      if (drawn) overlays[escapeHtml(layer.name[lang])] = drawn;
    }
    if (Object.keys(overlays).length > 0) this.layersControl = L.control.layers({}, overlays, { collapsed: true }).addTo(this.map);
  }

  addLayers(layers: MapLayer[]): void {
    this.layers = layers;
    this.base = drawBase(this.map, layers, { underlay: this.underlay, interactive: true });
    this.addLayersControl();
    this.fitRegion();
  }

  private fitRegion(): void {
    if (!this.base?.bounds) return;
    this.map.fitBounds(this.base.bounds, { padding: [10, 10], animate: false });
    this.fittedView = { zoom: this.map.getZoom(), center: this.map.getCenter() };
  }

  /** How many kecamatan names are shown at this zoom (for tests). */
  get labelsShown(): number {
    return this.base?.labels?.shown ?? 0;
  }

  /** A legend of every colour and symbol the map uses: asset states, alarm levels, vehicles, and the layers drawn. */
  addLegend(layers: MapLayer[]): void {
    const wasOpen = this.legend ? (this.legend.getContainer() as HTMLDetailsElement | undefined)?.open : undefined;
    this.legend?.remove();
    const legend = new L.Control({ position: 'bottomright' });
    this.legend = legend;
    legend.onAdd = () => {
      const box = L.DomUtil.create('details', 'map-legend');
      box.setAttribute('data-testid', 'map-legend');
      // Open on a wide screen; on a phone it starts folded so the map stays visible.
      box.open = wasOpen ?? this.map.getSize().x >= 700;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      const summary = L.DomUtil.create('summary', '', box);
      summary.textContent = mx('legend');
      const list = L.DomUtil.create('ul', '', box);
      const item = (symbol: HTMLElement, text: string) => {
        const li = L.DomUtil.create('li', '', list);
        li.append(symbol, textNode(text));
      };
      const dot = (state: AssetState, big = false) => {
        const s = L.DomUtil.create('span', big ? 'sym dot big' : 'sym dot');
        s.style.background = ASSET_STATE_STYLE[state].fill;
        s.style.borderColor = ASSET_STATE_STYLE[state].stroke === '#ffffff' ? '#6b7785' : ASSET_STATE_STYLE[state].stroke;
        return s;
      };
      const line = (style: L.PathOptions, fill?: string) => {
        const s = L.DomUtil.create('span', fill ? 'sym area' : 'sym line');
        s.style.borderColor = style.color ?? '#333';
        s.style.borderStyle = style.dashArray ? 'dashed' : 'solid';
        s.style.borderWidth = fill ? `${style.weight ?? 1}px` : `${style.weight ?? 1}px 0 0 0`;
        if (fill) s.style.background = fill;
        return s;
      };
      const heading = (text: string) => {
        const li = L.DomUtil.create('li', 'legend-head', list);
        li.textContent = text;
      };
      heading(lx('assets'));
      item(dot('ok'), lx('reporting'));
      item(dot('offline'), lx('offline'));
      item(dot('facility'), lx('facility'));
      for (const level of ['waspada', 'siaga', 'awas'] as const) item(dot(level), `${lx('alarm')} ${severityName(level)}`);
      item(dot('info'), lx('info'));
      item(dot('ok', true), lx('vehicle'));
      heading(lx('layers'));
      const lang = getLang();
      for (const layer of layers) {
        const style = LAYER_STYLE[layer.key];
        const name = `${layer.name[lang]}${layer.approximate && !/perkiraan|approximate/i.test(layer.name[lang]) ? ` (${lx('approximate')})` : ''}`;
        if (layer.key === 'regency') item(line(style!, style!.fillColor), name);
        else if (style) item(line(style), name);
        else if (layer.geojson.features.some((f) => (f.geometry as { type?: string } | null)?.type === 'Point')) {
          const s = L.DomUtil.create('span', 'sym dot small');
          s.style.background = HOTSPOT_STYLE.fillColor!;
          s.style.borderColor = HOTSPOT_STYLE.color!;
          item(s, name);
        } else item(line({ color: '#c0392b', weight: 1 }), name);
      }
      return box;
    };
    legend.addTo(this.map);
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

  /** Draws the asset in its state's colours. */
  state(assetId: string, state: AssetState): void {
    this.color(assetId, ASSET_STATE_STYLE[state].fill, ASSET_STATE_STYLE[state].stroke);
  }

  color(assetId: string, fill: string, stroke = '#ffffff'): void {
    const m = this.markers.get(assetId);
    if (m && (m.options.fillColor !== fill || m.options.color !== stroke)) m.setStyle({ fillColor: fill, color: stroke });
  }

  move(assetId: string, lat: number, lon: number): void {
    this.markers.get(assetId)?.setLatLng([lat, lon]);
    if (this.pulse && this.pulseFor === assetId) this.pulse.setLatLng([lat, lon]);
  }

  /**
   * Shows where a found asset is: the map flies to it, a pulsing ring marks it
   * and its popup opens with `content`. False when it has no place on the map.
   */
  highlight(assetId: string, content: HTMLElement): boolean {
    const marker = this.markers.get(assetId);
    if (!marker) return false;
    const at = marker.getLatLng();
    this.pulse?.remove();
    this.pulse = L.marker(at, { icon: L.divIcon({ className: 'asset-pulse', html: document.createElement('span'), iconSize: [44, 44] }), interactive: false, keyboard: false }).addTo(this.map);
    this.pulseFor = assetId;
    this.pulse.getElement()?.setAttribute('data-testid', 'asset-highlight');
    marker.bringToFront();
    this.map.flyTo(at, Math.max(this.map.getZoom(), 13), { duration: 0.6 });
    L.popup({ offset: [0, -6], autoPan: true }).setLatLng(at).setContent(content).openOn(this.map);
    return true;
  }

  /** What a test reads: an asset's fill colour, the map's centre and zoom. */
  probe() {
    return {
      fillOf: (assetId: string) => this.markers.get(assetId)?.options.fillColor ?? null,
      view: () => ({ ...this.map.getCenter(), zoom: this.map.getZoom() }),
      labelsShown: () => this.labelsShown,
    };
  }

  get markerCount(): number {
    return this.markers.size;
  }

  destroy(): void {
    this.resizes.disconnect();
    this.stopLang();
    this.map.remove();
  }
}
