// Builds the web app into web/dist when it is missing or older than its sources.
// `npm start` runs this first; it does nothing when the build is current.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const stamp = path.join(web, 'dist', '.built');
// Two pages: the operators' app and the public reporting page (its own small entry, no account).
const PAGES = ['index.html', 'lapor.html'];

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

/** The server's files the web app imports: the modules' contracts and constants, and core's shared helpers. */
function newestShared() {
  let latest = 0;
  const modules = path.join(root, 'src', 'modules');
  for (const file of fs.readdirSync(modules, { recursive: true, encoding: 'utf8' })) {
    if (/\.(contract|constants)\.ts$/.test(file)) latest = Math.max(latest, fs.statSync(path.join(modules, file)).mtimeMs);
  }
  return Math.max(latest, newest(path.join(root, 'src', 'core')));
}

export async function buildWebIfStale({ quiet = false } = {}) {
  const sources = Math.max(newest(path.join(web, 'src')), newestShared(), ...PAGES.map((p) => fs.statSync(path.join(web, p)).mtimeMs), fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= sources) return false;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    if (fs.existsSync(path.join(web, 'dist', 'index.html'))) return false; // installed without dev tools: serve what is there
    throw new Error('the web app is not built and vite is not installed: run npm install');
  }
  if (!quiet) console.log('cerdas: building the web app …');
  await vite.build({ root: web, logLevel: quiet ? 'silent' : 'warn', build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600, rollupOptions: { input: Object.fromEntries(PAGES.map((p) => [p.replace('.html', ''), path.join(web, p)])) } } });
  precompress(path.join(web, 'dist'));
  fs.writeFileSync(stamp, new Date().toISOString());
  return true;
}

/** Files a browser receives as text: the server sends their .br or .gz sibling (src/platform/http/web.ts). */
const TEXT_FILE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;

/**
 * Writes `<file>.br` (Brotli, quality 11) and `<file>.gz` (gzip -9) beside every
 * text file of the build, so the server sends the smallest encoding the browser
 * takes without compressing on each request. Done once per build: quality 11 is
 * too slow to run per request, and the files never change once built.
 */
export function precompress(dir) {
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (!TEXT_FILE.test(name) || !fs.statSync(file).isFile()) continue;
    const raw = fs.readFileSync(file);
    const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    fs.writeFileSync(`${file}.br`, br);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
  }
}

/** The oldest Node.js that runs Cerdas: 22 LTS from 22.18, when it began to run TypeScript as it is (type stripping). */
const NODE_MINIMUM = [22, 18];

function nodeIsSupported(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > NODE_MINIMUM[0] || (major === NODE_MINIMUM[0] && minor >= NODE_MINIMUM[1]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `npm start` and `npm test` run this first: say plainly what is missing rather than fail on the first type annotation.
  if (!nodeIsSupported()) {
    console.error(`cerdas: Node.js ${NODE_MINIMUM.join('.')} or newer is needed (22 or 24 LTS); this is ${process.version}. See "Installing Node.js" in the README.`);
    process.exit(1);
  }
  buildWebIfStale().catch((error) => {
    console.error(`cerdas: cannot build the web app: ${error.message}`);
    process.exit(1);
  });
}
