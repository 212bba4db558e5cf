import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { highestHolding, nextLevel, parseLevels } from './rules.levels.ts';

const river = parseLevels([
  { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
  { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
  { severity: 'awas', condition: { op: 'gte', value: 4.5 } },
]);
const WASPADA = 0;
const SIAGA = 1;
const AWAS = 2;

describe('rule levels', () => {
  it('finds the highest level a reading meets', () => {
    assert.equal(highestHolding(river, 3.4, 0, undefined), null);
    assert.equal(highestHolding(river, 3.5, 0, undefined), WASPADA);
    assert.equal(highestHolding(river, 4.2, 0, undefined), SIAGA);
    assert.equal(highestHolding(river, 9, 0, undefined), AWAS);
  });

  it('rises at once, and falls only once the level’s clear condition holds, to the highest level not yet fallen below', () => {
    assert.equal(nextLevel(river, WASPADA, 4.6, 0, undefined), AWAS, 'straight past Siaga');
    assert.equal(nextLevel(river, SIAGA, 3.9, 0, undefined), SIAGA, 'between 3.8 and 4: still Siaga');
    assert.equal(nextLevel(river, SIAGA, 3.7, 0, undefined), WASPADA);
    assert.equal(nextLevel(river, SIAGA, 3.4, 0, undefined), WASPADA, 'below Siaga’s clear, above Waspada’s: Waspada');
    assert.equal(nextLevel(river, SIAGA, 3.2, 0, undefined), null, 'below every clear condition: the alarm clears');
    assert.equal(nextLevel(river, AWAS, 4.4, 0, undefined), SIAGA, 'Awas has no clear condition: below 4.5 it falls');
    assert.equal(nextLevel(river, WASPADA, 3.4, 0, undefined), WASPADA);
  });

  it('refuses levels that do not rise, too many, and a bad condition, saying which', () => {
    const refused = (levels: unknown, pattern: RegExp) => assert.throws(() => parseLevels(levels), (e: unknown) => e instanceof AppError && pattern.test(e.message));
    refused([{ severity: 'siaga', condition: { op: 'gt', value: 4 } }, { severity: 'waspada', condition: { op: 'gt', value: 3 } }], /levels\[1\] \(waspada\) is not above levels\[0\] \(siaga\)/);
    refused([{ severity: 'siaga', condition: { op: 'gt', value: 4 } }, { severity: 'major', condition: { op: 'gt', value: 5 } }], /must rise in rank/);
    refused(Array.from({ length: 6 }, (_, i) => ({ severity: 'awas', condition: { op: 'gt', value: i } })), /at most 5 levels, 6 given/);
    refused([{ severity: 'awas', condition: { op: 'gt', value: 'tinggi' } }], /levels\[0\]\.condition\.value must be a number/);
    refused([{ severity: 'merah', condition: { op: 'gt', value: 1 } }], /levels\[0\]\.severity must be one of/);
    refused([], /1 to 5/);
    refused([{ severity: 'siaga', condition: { op: 'silence', minutes: 5 } }, { severity: 'awas', condition: { op: 'gt', value: 1 } }], /silence/);
  });
});
