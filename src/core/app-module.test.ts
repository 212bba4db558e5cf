import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Assembly, closeAll, type AppModule } from './app-module.ts';

/** A module that provides `name` (a string), needs `needs`, and records its opening and closing in `journal`. */
function fake<N extends object, P extends object>(name: string, needs: (keyof N)[], provides: P, journal: string[], fail?: 'open' | 'close'): AppModule<N, P> {
  return {
    name,
    needs,
    provides: Object.keys(provides) as (keyof P)[],
    async open() {
      if (fail === 'open') throw new Error(`${name} cannot open`);
      journal.push(`open ${name}`);
      return {
        provides,
        close: async () => {
          journal.push(`close ${name}`);
          if (fail === 'close') throw new Error(`${name} cannot close`);
        },
      };
    },
  };
}

describe('Assembly', () => {
  it('opens modules in order, each given what the ones before it provide', async () => {
    const journal: string[] = [];
    let seen: unknown;
    const last: AppModule<{ base: number; a: string; b: string }, { c: string }> = {
      name: 'c',
      needs: ['base', 'a', 'b'],
      provides: ['c'],
      open: (needs) => {
        seen = needs;
        return { provides: { c: 'C' } };
      },
    };
    const { services, opened } = await Assembly.of({ base: 1 })
      .with(fake<{ base: number }, { a: string }>('a', ['base'], { a: 'A' }, journal))
      .with(fake<{ a: string }, { b: string }>('b', ['a'], { b: 'B' }, journal))
      .with(last)
      .open(() => {});
    assert.deepEqual(journal, ['open a', 'open b']);
    assert.deepEqual(seen, { base: 1, a: 'A', b: 'B' });
    assert.deepEqual(services, { base: 1, a: 'A', b: 'B', c: 'C' });
    assert.deepEqual(opened.map((m) => m.name), ['a', 'b', 'c']);
  });

  it('closes the modules opened before the one that failed, newest first, and throws its failure', async () => {
    const journal: string[] = [];
    const assembly = Assembly.of({})
      .with(fake<object, { a: 1 }>('a', [], { a: 1 }, journal))
      .with(fake<object, { b: 1 }>('b', [], { b: 1 }, journal))
      .with(fake<object, { c: 1 }>('c', [], { c: 1 }, journal, 'open'))
      .with(fake<object, { d: 1 }>('d', [], { d: 1 }, journal));
    await assert.rejects(assembly.open(() => {}), /c cannot open/);
    assert.deepEqual(journal, ['open a', 'open b', 'close b', 'close a']);
  });

  it('a close that fails is reported and the others still close', async () => {
    const journal: string[] = [];
    const failures: string[] = [];
    const { opened } = await Assembly.of({})
      .with(fake<object, { a: 1 }>('a', [], { a: 1 }, journal))
      .with(fake<object, { b: 1 }>('b', [], { b: 1 }, journal, 'close'))
      .open(() => {});
    await closeAll(opened, (error, module) => failures.push(`${module}: ${(error as Error).message}`));
    assert.deepEqual(journal, ['open a', 'open b', 'close b', 'close a']);
    assert.deepEqual(failures, ['b: b cannot close']);
  });

  it('refuses a module that does not provide what it declares, and closes the ones before it', async () => {
    const journal: string[] = [];
    const liar: AppModule<object, { y?: number }> = { name: 'liar', needs: [], provides: ['y'], open: () => ({ provides: {} }) };
    await assert.rejects(Assembly.of({}).with(fake<object, { a: 1 }>('a', [], { a: 1 }, journal)).with(liar).open(() => {}), /module liar did not provide y/);
    assert.deepEqual(journal, ['open a', 'close a']);
  });
});
