/**
 * What the audit log keeps of a request body too big to walk: its size and its
 * first field names, found without reading its values (a 20 MB map layer
 * arrives as bytes; walked as an object it was 11 million fields and 20 s of
 * the event loop). Bodies of a JSON route's size are masked as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskBody, maskValue, MAX_WALK_BYTES } from '../src/modules/audit/index.ts';

describe('audit: a body too big to walk', () => {
  it('keeps only the size of bytes', () => {
    assert.deepEqual(maskBody(Buffer.from('{"name":"x"}'), 'layer', 12), { truncated: true, bytes: 12, fields: [] });
    assert.deepEqual(maskBody(new Uint8Array(3_000_000), 'layer', null), { truncated: true, bytes: 3_000_000, fields: [] });
    assert.deepEqual(maskValue({ name: 'x', file: Buffer.alloc(5) }, 'asset'), { name: 'x', file: { truncated: true, bytes: 5, fields: [] } });
  });

  it('names the fields of a body past the limit without reading their values, personal data left out', () => {
    const body = {
      name: 'x',
      phone: '0812',
      get geojson(): unknown {
        throw new Error('the audit walked a body past its limit');
      },
    };
    assert.deepEqual(maskBody(body, 'resident', MAX_WALK_BYTES + 1), { truncated: true, bytes: MAX_WALK_BYTES + 1, fields: ['name', 'geojson'] });
    assert.throws(() => maskBody(body, 'resident', MAX_WALK_BYTES), /walked a body/, 'within the limit it is masked as any value');
  });

  it('masks a body of a JSON route’s size as any value', () => {
    const body = { text: 'Pompa mati', accessToken: 'abc', reporter: { name: 'Siti' } };
    assert.deepEqual(maskBody(body, 'incident', 80), { text: 'Pompa mati', accessToken: '***' });
    assert.deepEqual(maskBody(body, 'incident', null), maskValue(body, 'incident'));
    assert.deepEqual(maskBody('plain', 'note', 5), { value: 'plain' });
    assert.equal(maskBody(null, 'note', 0), null);
  });
});
