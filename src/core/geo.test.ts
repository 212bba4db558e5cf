import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from './errors.ts';
import { parseBbox, pointInPolygon, polygonsBbox, polygonsOf, representativePoint, validateGeometry } from './geo.ts';

describe('GeoJSON geometry', () => {
  it('takes a point, a line and a closed polygon, with their bounding boxes', () => {
    assert.deepEqual(validateGeometry({ type: 'Point', coordinates: [103.03, -3.21] }).bbox, { west: 103.03, east: 103.03, south: -3.21, north: -3.21 });
    const line = validateGeometry({ type: 'LineString', coordinates: [[103, -3.3], [103.2, -3.1]] });
    assert.deepEqual(representativePoint(line.bbox), { lon: 103.1, lat: -3.2 });
    validateGeometry({ type: 'Polygon', coordinates: [[[103, -3], [103.1, -3], [103.1, -3.1], [103, -3]]] });
    validateGeometry({ type: 'MultiPolygon', coordinates: [[[[103, -3], [103.1, -3], [103.1, -3.1], [103, -3]]]] });
  });

  it('says what is wrong with a bad geometry', () => {
    const bad: [unknown, RegExp][] = [
      [null, /GeoJSON geometry object/],
      [{ type: 'Circle', coordinates: [1, 2] }, /type must be one of/],
      [{ type: 'Point', coordinates: [200, 0] }, /longitude/],
      [{ type: 'Point', coordinates: ['103', -3] }, /longitude/],
      [{ type: 'Point', coordinates: [103] }, /\[longitude, latitude\]/],
      [{ type: 'LineString', coordinates: [[103, -3]] }, /at least 2/],
      [{ type: 'Polygon', coordinates: [[[103, -3], [103.1, -3], [103.1, -3.1], [103.2, -3]]] }, /end where it starts/],
      [{ type: 'MultiPoint', coordinates: [] }, /non-empty/],
    ];
    for (const [geometry, message] of bad) {
      assert.throws(() => validateGeometry(geometry), (e: unknown) => e instanceof AppError && e.code === 'GEOMETRY_INVALID' && message.test(e.message), JSON.stringify(geometry));
    }
  });

  it('reads a bounding box and refuses an inverted one', () => {
    assert.deepEqual(parseBbox('102.5,-3.644,103.667,-3.083'), { west: 102.5, south: -3.644, east: 103.667, north: -3.083 });
    assert.throws(() => parseBbox('103,-3,102,-2'), AppError);
    assert.throws(() => parseBbox('a,b,c,d'), AppError);
  });
});

describe('points in polygons', () => {
  const square = [[[103, -3.4], [103.2, -3.4], [103.2, -3.2], [103, -3.2], [103, -3.4]]];
  const withHole = [...square, [[103.05, -3.35], [103.15, -3.35], [103.15, -3.25], [103.05, -3.25], [103.05, -3.35]]];
  it('finds a point inside the outer ring and outside the holes', () => {
    assert.equal(pointInPolygon(103.1, -3.3, square), true);
    assert.equal(pointInPolygon(103.3, -3.3, square), false);
    assert.equal(pointInPolygon(103.1, -3.3, withHole), false, 'in the hole');
    assert.equal(pointInPolygon(103.01, -3.3, withHole), true);
  });
  it('reads the polygons of a Polygon or MultiPolygon, nothing of other geometries', () => {
    assert.equal(polygonsOf({ type: 'Polygon', coordinates: square }).length, 1);
    assert.equal(polygonsOf({ type: 'MultiPolygon', coordinates: [square, withHole] }).length, 2);
    assert.deepEqual(polygonsOf({ type: 'Point', coordinates: [103, -3] }), []);
    assert.deepEqual(polygonsOf(null), []);
    assert.deepEqual(polygonsBbox([square]), { west: 103, east: 103.2, south: -3.4, north: -3.2 });
    assert.equal(polygonsBbox([]), null);
  });
});
