import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from './errors.js';
import { parseBbox, representativePoint, validateGeometry } from './geo.js';

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
