import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from '../../core/paging.ts';
import { everyPage } from './first-screen.ts';

/** A list read in pages as the services give them: `limit` at a time, a cursor to the next. */
function paged<T>(all: T[], asked: number[]) {
  return async (limit: number, cursor: string | undefined): Promise<Page<T>> => {
    asked.push(limit);
    const from = cursor ? Number(cursor) : 0;
    return { items: all.slice(from, from + limit), nextCursor: from + limit < all.length ? String(from + limit) : null };
  };
}

describe("the first screen's lists", () => {
  it('takes every page, in order, at the routes\' largest page size', async () => {
    const assets = Array.from({ length: 2500 }, (_, i) => `a${i}`);
    const asked: number[] = [];
    assert.deepEqual(await everyPage(paged(assets, asked)), assets);
    assert.deepEqual(asked, [1000, 1000, 1000]);
  });

  it('reads one page of an exact thousand, and one empty page of nothing', async () => {
    const asked: number[] = [];
    assert.equal((await everyPage(paged(Array.from({ length: 1000 }, (_, i) => i), asked))).length, 1000);
    assert.deepEqual(await everyPage(paged([], asked)), []);
    assert.deepEqual(asked, [1000, 1000]);
  });
});
