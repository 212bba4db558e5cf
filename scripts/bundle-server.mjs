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
import { createRequire } from 'node:module';
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
