// vt-pbf ships no types: what test/pmtiles-fixture.ts calls of it.
declare module 'vt-pbf' {
  export function fromGeojsonVt(layers: Record<string, { features: unknown[] }>, options?: { version?: number; extent?: number }): Uint8Array;
}
