// Preloaded into every process of a test run (scripts/test.ts puts it in NODE_OPTIONS): the test
// files, and the platforms they start as child processes. Node strips the types of each TypeScript
// module it loads, ~0.9 s of CPU for the platform's sources in every process; here each file is
// stripped once per run (same function, same result) and the JavaScript kept, by the file's content,
// in the run's folder (TS_CACHE_DIR), which the runner removes at the end.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node's own stripping (positions kept: a stack trace points at the same line and column); its "experimental" warning is no news in a test run. */
function strip(source, file) {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source, { mode: 'strip', sourceUrl: file });
  } finally {
    process.emitWarning = emitWarning;
  }
}

const dir = process.env.TS_CACHE_DIR;
if (dir) {
  fs.mkdirSync(dir, { recursive: true });
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
      // The file is read here when its format is known: Node's own load of a TypeScript file loads the
      // stripper itself (amaro, some 0.1 s of CPU a process), which a cached file does not need.
      let source;
      if (context.format === 'module-typescript') source = fs.readFileSync(fileURLToPath(url), 'utf8');
      else {
        const result = nextLoad(url, context);
        if (result.format !== 'module-typescript' || result.source == null) return result;
        source = String(result.source);
      }
      const file = path.join(dir, `${createHash('sha1').update(source).digest('hex')}.js`);
      let code;
      try {
        code = fs.readFileSync(file, 'utf8');
      } catch {
        code = strip(source, fileURLToPath(url));
        const partial = `${file}.${process.pid}`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, file);
      }
      return { format: 'module', source: code, shortCircuit: true };
    },
  });
}
