/**
 * The demo's geography: every asset it places lies inside the polygon of the
 * kecamatan it claims, the hand-drawn rivers and hotspots inside the regency,
 * and the shapes are the real ones (14 kecamatan, the regency's extent).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointInPolygon, polygonsBbox, polygonsOf } from '../src/core/geo.ts';
import { hotspotPoints, KECAMATAN_CENTRES, kecamatanPolygons, musiLine, regencyOutline, TRIBUTARIES, DEMO_DEVICES, demoFacilities } from '../src/modules/demo/index.ts';
import { checkFeatureCollection } from '../src/modules/identity/layers.read.ts';

const kecamatan = kecamatanPolygons();
const polygonOf = new Map(kecamatan.features.map((f) => [f.properties.code as string, polygonsOf(f.geometry)]));
const names = Object.fromEntries(kecamatan.features.map((f) => [f.properties.code as string, f.properties.name as string]));
const regency = polygonsOf(regencyOutline().features[0]!.geometry);

/** The codes of every kecamatan whose polygon holds the point (one, when borders neither gap nor overlap). */
function holders(lon: number, lat: number): string[] {
  return [...polygonOf].filter(([, polygons]) => polygons.some((p) => pointInPolygon(lon, lat, p))).map(([code]) => code);
}

describe('demo geography', () => {
  it('is the real regency: 14 kecamatan from OpenStreetMap, credited, within the extent SOURCES.md gives', () => {
    assert.equal(kecamatan.features.length, 14);
    assert.equal(kecamatan.attribution, '© OpenStreetMap contributors (ODbL)');
    assert.equal(musiLine().attribution, 'Natural Earth');
    const bbox = polygonsBbox(regency)!;
    assert.ok(Math.abs(bbox.west - 102.483) < 0.001 && Math.abs(bbox.east - 103.644) < 0.001, `lon ${bbox.west}–${bbox.east}`);
    assert.ok(Math.abs(bbox.south + 3.598) < 0.001 && Math.abs(bbox.north + 2.753) < 0.001, `lat ${bbox.south}–${bbox.north}`);
    // The layer check keeps the credit (a GeoJSON foreign member) and refuses one that is not text.
    assert.equal(checkFeatureCollection(kecamatan).attribution, '© OpenStreetMap contributors (ODbL)');
    assert.throws(() => checkFeatureCollection({ ...kecamatan, attribution: { html: '<b>x</b>' } }), /attribution/);
  });

  it('puts every device’s asset inside the kecamatan it claims', () => {
    const wrong = DEMO_DEVICES.filter((d) => !holders(...d.at).includes(d.district)).map((d) => `${d.name} at ${d.at} claims ${d.district}, lies in ${holders(...d.at).join(',') || 'none'}`);
    assert.deepEqual(wrong, []);
  });

  it('puts every facility inside the kecamatan it claims', () => {
    const facilities = demoFacilities(names);
    assert.ok(facilities.length >= 28);
    const wrong = facilities.filter((f) => !holders(...f.at).includes(f.district)).map((f) => `${f.name} at ${f.at} claims ${f.district}, lies in ${holders(...f.at).join(',') || 'none'}`);
    assert.deepEqual(wrong, []);
  });

  it('has each kecamatan’s spot inside it, and rivers and hotspots inside the regency', () => {
    for (const [code, [lon, lat]] of Object.entries(KECAMATAN_CENTRES)) assert.deepEqual(holders(lon, lat), [code], `spot of ${code}`);
    for (const river of TRIBUTARIES) for (const [lon, lat] of river.path) assert.ok(regency.some((p) => pointInPolygon(lon, lat, p)), `${river.name} at ${lon},${lat}`);
    for (const f of hotspotPoints().features) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      assert.ok(regency.some((p) => pointInPolygon(lon, lat, p)), `hotspot at ${lon},${lat}`);
    }
  });

  it('tells a point outside a kecamatan from one inside (the check can fail)', () => {
    // Kota Lubuklinggau, the notch on the regency's west side, belongs to no kecamatan of Musi Rawas.
    assert.deepEqual(holders(102.86, -3.29), []);
    assert.deepEqual(holders(...KECAMATAN_CENTRES['16.05.09']!), ['16.05.09']);
  });
});
