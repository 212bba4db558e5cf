export { hotspotPoints, kecamatanPolygons, KECAMATAN_CENTRES, riverLines } from './demo.places.js';
export { DEMO_DEVICES, DEMO_OPDS, seedDemo, type DemoDevice } from './demo.seed.js';
export { DemoSimulator, floodCurve, hazeCurve } from './demo.simulator.js';
