import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { format } from 'node:util';

type Logger = ((...args: unknown[]) => void) & { enabled: boolean; namespace: string; log: (...args: unknown[]) => void; extend(sub: string): Logger };
type CreateDebug = ((namespace: string) => Logger) & { enable(namespaces: string): void; disable(): string };

// The server bundle gives libraries this in place of `debug` (scripts/bundle-server.mjs).
const createDebug = createRequire(import.meta.url)('../scripts/quiet-debug.cjs') as CreateDebug;

it('the bundle’s debug: a logger that is off does nothing, one that is on logs as debug does', () => {
  createDebug.enable('cerdas-test:on*');
  try {
    const on = createDebug('cerdas-test:on');
    const off = createDebug('cerdas-test:off');
    assert.equal(on.enabled, true);
    assert.equal(off.enabled, false);
    const lines: string[] = [];
    on.log = (...args: unknown[]) => lines.push(format(...args));
    on('parsed %d bytes', 42);
    off('parsed %d bytes', 42);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /cerdas-test:on.*parsed 42 bytes/);
    assert.equal(off.extend('parser').enabled, false);
    assert.equal(off.extend('parser').namespace, 'cerdas-test:off:parser');
    assert.equal(on.extend('parser').enabled, true, 'a sub-logger of one that is on is on');
  } finally {
    createDebug.disable();
  }
});
