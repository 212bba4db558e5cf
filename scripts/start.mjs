// `npm start`: runs the server as plain JavaScript, built into dist/ from src/
// when the sources are newer than the last build (a few seconds; types are not
// checked here, `npm test` does that). Node can run src/main.ts as it is, but
// stripping the types of the whole platform at every start costs the running
// server some 40 MB of memory for as long as it runs. Installed without the
// dev tools (no TypeScript), it runs the sources as they are.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
const stamp = path.join(out, '.built');
const config = path.join(root, 'tsconfig.build.json');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

function typescriptCompiler() {
  try {
    const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
    return path.join(path.dirname(manifest), 'bin', 'tsc');
  } catch {
    return null;
  }
}

/** The entry to run: dist/main.js, built first if stale; src/main.ts when it cannot be built. */
export function serverEntry() {
  const sources = Math.max(newest(path.join(root, 'src')), fs.statSync(config).mtimeMs, fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs, fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= sources) return path.join(out, 'main.js');
  const tsc = typescriptCompiler();
  if (!tsc) return path.join(root, 'src', 'main.ts');
  // A fresh directory: a source file deleted since the last build leaves nothing behind.
  fs.rmSync(out, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('cerdas: could not build the server into dist/; running src/main.ts as it is');
    fs.rmSync(out, { recursive: true, force: true });
    return path.join(root, 'src', 'main.ts');
  }
  fs.writeFileSync(stamp, new Date().toISOString());
  return path.join(out, 'main.js');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await import(pathToFileURL(serverEntry()).href);
}
