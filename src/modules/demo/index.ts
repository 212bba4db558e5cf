export { hotspotPoints, KECAMATAN_CENTRES, kecamatanPolygons, musiLine, regencyOutline, TRIBUTARIES, tributaryLines } from './demo.places.ts';
export { DEMO_PROFILES } from './demo.profiles.ts';
export { DEMO_DEVICES, DEMO_OPDS, DEMO_PEOPLE, demoFacilities, POLDER_RULE_NAME, seedDemo, type DemoDevice } from './demo.seed.ts';
export { DemoSimulator, floodCurve, hazeCurve, polderCurve } from './demo.simulator.ts';
