import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { builtinWithoutFacade, changeLibrary } from '../scripts/bundle-server.mjs';

const require = createRequire(import.meta.url);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cerdas-bundle-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs an ES module in a node of its own; answers what it printed, parsed. */
function runModule(name: string, code: string): unknown {
  const file = path.join(dir, name);
  fs.writeFileSync(file, code);
  return JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }));
}

describe('the server bundle (scripts/bundle-server.mjs)', () => {
  it('gives a built-in module without loading what its lazy exports would (node:http and undici)', () => {
    const builtin = path.join(dir, 'http.mjs');
    fs.writeFileSync(builtin, builtinWithoutFacade('node:http'));
    const seen = runModule(
      'uses-http.mjs',
      `import http, { createServer, STATUS_CODES } from ${JSON.stringify(builtin)};
       const undiciAfterImport = process.moduleLoadList.some((m) => m.includes('undici'));
       console.log(JSON.stringify({ undiciAfterImport, sameModule: createServer === http.createServer, status: STATUS_CODES[404], lazyStillThere: typeof http.WebSocket }));`,
    );
    assert.deepEqual(seen, { undiciAfterImport: false, sameModule: true, status: 'Not Found', lazyStillThere: 'function' });
    // The reason for it: Node's own facade of the same module loads undici.
    assert.deepEqual(runModule('facade.mjs', `import 'node:http'; console.log(JSON.stringify(process.moduleLoadList.some((m) => m.includes('undici'))));`), true);
  });

  it('changes @fastify/compress so that its check for a fetch Response loads nothing, and still finds one', () => {
    const file = require.resolve('@fastify/compress/lib/utils.js');
    const changed = changeLibrary(fs.readFileSync(file, 'utf8'), file);
    assert.doesNotMatch(changed, /instanceof Response/);
    // Compiled as the library's own module, where it is installed.
    const mod = new Module(file) as Module & { _compile(code: string, filename: string): void; paths: string[] };
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(path.dirname(file));
    mod._compile(changed, file);
    const { isFetchResponse } = mod.exports as { isFetchResponse(value: unknown): boolean };
    assert.equal(isFetchResponse(new Response('ok')), true);
    for (const other of [null, undefined, 'text', Buffer.from('x'), { status: 200, headers: {} }, new Request('http://127.0.0.1/')]) assert.equal(isFetchResponse(other), false);
  });

  it('refuses to bundle a library whose code no longer has what a change replaces', () => {
    const file = path.join('node_modules', '@fastify', 'compress', 'lib', 'utils.js');
    assert.throws(() => changeLibrary('function isFetchResponse (obj) { return obj?.constructor?.name === "Response" }', file), /no longer contains/);
    assert.equal(changeLibrary('unchanged', path.join('node_modules', 'other', 'index.js')), 'unchanged');
  });
});
