// Part of `npm start` (scripts/start.mjs): folds the server built into dist/ and
// the libraries it loads at start into one file, dist/bundle/main.js (with a few
// chunks for what is imported on demand). Node keeps a record, a source string
// and compiled code for every module it loads: the ~2,000 small modules of the
// platform and its libraries (TypeBox alone is ~700) cost the running server
// some 10 MB of memory that one module does not.
//
// Every module keeps the location it has in dist/ or node_modules: its
// `import.meta.url`, `__dirname` and `__filename` are written in as they would be
// there. So what a module finds beside itself (a worker thread's script, a
// parser task, web/dist, a library's data files) is found as before; worker
// threads load their modules from dist/ as they are.
//
// Rolldown (the bundler Vite is built on) is a development tool: without it
// (installed without dev tools) this does nothing and the server runs from dist/.
import fs from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Libraries left as they are: native add-ons (loaded by the path of their
 * binary), and the big ones only loaded on demand (a spreadsheet upload, a
 * photo, an e-mail, the password checker's thread), which gain nothing idle
 * from being bundled.
 */
const EXTERNAL = [/^better-sqlite3(\/|$)/, /^sharp(\/|$)/, /^exceljs(\/|$)/, /^pdfkit(\/|$)/, /^docx(\/|$)/, /^nodemailer(\/|$)/, /^@zxcvbn-ts\//];

const QUIET_DEBUG = path.join(path.dirname(new URL(import.meta.url).pathname), 'quiet-debug.cjs');

/** Replaces what a module knows of its own location with where it is on disk; a module declaring a `__dirname` of its own keeps it. */
function pinLocation(code, file) {
  let out = code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href));
  if (!/\b(const|let|var)\s+__dirname\b/.test(out)) out = out.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(file)));
  if (!/\b(const|let|var)\s+__filename\b/.test(out)) out = out.replace(/\b__filename\b/g, JSON.stringify(file));
  return out;
}

/**
 * The code with every character past ASCII written as a `\uXXXX` escape. V8 keeps the source of every
 * module for as long as the server runs, and one character past Latin-1 anywhere in a chunk (a `…` or
 * `→` in a message) makes it keep the whole chunk two bytes a character: the 4.8 MB chunk of the
 * platform took 9.5 MB. The escape means the same character wherever one can stand: in a string,
 * template, regular expression (a surrogate pair escaped as two is still one code point under the u
 * flag), identifier or comment. A character escaped in the source (`\é`, an identity escape) becomes
 * the escape alone.
 */
export function asciiOnly(code) {
  return code.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, char) => {
    let escaped = '';
    for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    // An odd number of backslashes escapes the character itself: the last one is dropped for the escape's own.
    return (slashes.length % 2 === 1 ? slashes.slice(1) : slashes) + escaped;
  });
}

/**
 * A built-in module imported by an import statement comes as Node's CommonJS module itself
 * (`process.getBuiltinModule`), not through the ES module facade Node makes for it: the facade
 * reads every export once, lazy ones included, and `node:http`'s lazy `WebSocket`, `CloseEvent` and
 * `MessageEvent` load undici, Node's fetch: a 770 KB script and what it sets up (a process that
 * imports `node:http` is 11 MB larger than one that requires it, on Node.js 22 as on 24). The
 * module exports its plain values by name; an export Node computes on first use (an accessor) is
 * reached through the default export (`http.WebSocket`): naming it in an import fails the bundle,
 * and the server then runs from dist/, saying why.
 */
export function builtinWithoutFacade(id) {
  const name = id.startsWith('node:') ? id : `node:${id}`;
  const exports = process.getBuiltinModule(name);
  const plain = Object.entries(Object.getOwnPropertyDescriptors(exports))
    .filter(([key, descriptor]) => 'value' in descriptor && key !== 'default' && /^[A-Za-z_$][\w$]*$/.test(key))
    .map(([key]) => key);
  return [`const builtin = process.getBuiltinModule(${JSON.stringify(name)});`, 'export default builtin;', plain.length > 0 ? `export const { ${plain.join(', ')} } = builtin;` : ''].join('\n');
}

/**
 * Changes to libraries' code, each for a reason found in the running server. A change whose text
 * is no longer in its library fails the bundle, saying so (the server then runs from dist/);
 * test/bundle-server.test.ts checks each against the installed version.
 */
export const LIBRARY_CHANGES = [
  {
    // @fastify/compress asks of every response whether it is a fetch Response by `instanceof Response`:
    // the global's first read loads undici (above) at the server's first HTTP response. Without undici
    // (neither this nor the facade), the idle server was 4 MB smaller on Node.js 22 and 8 MB on Node.js 24.
    // Fastify itself asks by the object's tag, which loads nothing.
    file: /[\\/]@fastify[\\/]compress[\\/]lib[\\/]utils\.js$/,
    from: 'return obj instanceof Response',
    to: "return typeof obj === 'object' && obj !== null && Object.prototype.toString.call(obj) === '[object Response]'",
  },
];

/** The code of `file` with the changes above that apply to it; throws when one's text is missing. */
export function changeLibrary(code, file) {
  let out = code;
  for (const change of LIBRARY_CHANGES) {
    if (!change.file.test(file)) continue;
    if (!out.includes(change.from)) throw new Error(`${file} no longer contains "${change.from}": see LIBRARY_CHANGES in scripts/bundle-server.mjs`);
    out = out.replaceAll(change.from, change.to);
  }
  return out;
}

function loadRolldown(root) {
  try {
    return createRequire(path.join(root, 'package.json'))('rolldown');
  } catch {
    return null;
  }
}

/**
 * Bundles `<dist>/main.js` into `<dist>/bundle/`; answers the entry to run, or
 * null when the bundler is not installed or fails (the server then runs from
 * dist/ as it is, which works the same, with ~10 MB more memory).
 */
export async function bundleServer(root, dist) {
  const rolldown = loadRolldown(root);
  if (!rolldown) return null;
  const outDir = path.join(dist, 'bundle');
  try {
    const build = await rolldown.rolldown({
      input: path.join(dist, 'main.js'),
      platform: 'node',
      external: EXTERNAL,
      logLevel: 'silent',
      plugins: [
        {
          // debug's loggers, quiet when off (scripts/quiet-debug.cjs says why); the shim itself gets debug's own.
          name: 'cerdas-quiet-debug',
          resolveId(source, importer) {
            return source === 'debug' && importer !== QUIET_DEBUG ? QUIET_DEBUG : null;
          },
        },
        {
          name: 'cerdas-builtins-without-facade',
          resolveId(source, _importer, extra) {
            return extra?.kind === 'import-statement' && isBuiltin(source) ? `\0builtin:${source}` : null;
          },
          load(id) {
            return id.startsWith('\0builtin:') ? builtinWithoutFacade(id.slice('\0builtin:'.length)) : null;
          },
        },
        {
          // LIBRARY_CHANGES, before the location is pinned (each is found by its library's own text).
          name: 'cerdas-library-changes',
          transform(code, id) {
            if (!path.isAbsolute(id)) return null;
            const out = changeLibrary(code, id);
            return out === code ? null : { code: out, map: null };
          },
        },
        {
          name: 'cerdas-pin-module-location',
          transform(code, id) {
            if (!path.isAbsolute(id)) return null;
            const out = pinLocation(code, id);
            return out === code ? null : { code: out, map: null };
          },
        },
      ],
    });
    // Not minified: a stack trace keeps its function names and readable lines (minifying saves ~2 MB more).
    // Documentation comments go (the bundle's lines are not the sources' anyway), licences stay.
    await build.write({
      dir: outDir,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      sourcemap: false,
      comments: { legal: true, annotation: true, jsdoc: false },
    });
    await build.close();
    for (const file of fs.readdirSync(outDir)) {
      if (!file.endsWith('.js')) continue;
      const full = path.join(outDir, file);
      const code = fs.readFileSync(full, 'utf8');
      const ascii = asciiOnly(code);
      if (ascii !== code) fs.writeFileSync(full, ascii);
    }
    return path.join(outDir, 'main.js');
  } catch (error) {
    console.error(`cerdas: could not bundle the server (${error instanceof Error ? error.message : String(error)}); running it from dist/`);
    fs.rmSync(outDir, { recursive: true, force: true });
    return null;
  }
}

// `node scripts/bundle-server.mjs <dist>`: what scripts/start.mjs runs (in a process of its own, so that
// the bundler's memory is not kept by the server); exit code 0 when dist/bundle/main.js was written.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dist = path.resolve(process.argv[2] ?? 'dist');
  process.exitCode = (await bundleServer(path.dirname(dist), dist)) ? 0 : 1;
}
