import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { normalizeMobile } from './phone.ts';

describe('normalizeMobile', () => {
  it('accepts the ways Indonesian mobile numbers are written', () => {
    for (const input of ['081234567890', '6281234567890', '+6281234567890', '+62 812-3456-7890', '(0812) 3456 7890', '0812.3456.7890', '+62 (0) 812 3456 7890', '0062 812 3456 7890', ' 0812 3456 7890 ']) {
      assert.equal(normalizeMobile(input), '+6281234567890', input);
    }
    assert.equal(normalizeMobile('0812345678'), '+62812345678'); // 10 digits, older numbers
    assert.equal(normalizeMobile('0812-3456-78901'), '+62812345678901'); // 13 digits
    assert.equal(normalizeMobile('0895 1234 5678'), '+6289512345678');
  });

  it('accepts other countries in international form', () => {
    assert.equal(normalizeMobile('+60 12-345 6789'), '+60123456789');
    assert.equal(normalizeMobile('0065 9123 4567'), '+6591234567');
  });

  const refused: [string, RegExp][] = [
    ['0733-451234', /landline/],
    ['(0733) 451234', /landline/],
    ['+62 21 1234567', /landline/],
    ['0812-345', /too short/],
    ['08123456789012', /too long/],
    ['0812-34AB-7890', /characters other than digits/],
    ['budi', /characters other than digits/],
    ['', /empty/],
    ['812345678', /08… or with its country code/],
    ['081-2+34567890', /\+ may only stand at the start/],
    ['0802 3456 7890', /no Indonesian mobile number starts with 080/],
    ['+1234', /too short/],
    ['+1234567890123456', /too long/],
  ];
  for (const [input, reason] of refused) {
    it(`refuses ${JSON.stringify(input)} saying why`, () => {
      assert.throws(() => normalizeMobile(input), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.match(error.message, reason);
        return true;
      });
    });
  }
});
