/**
 * Where uploaded files (report photos) live. The interface lets an
 * S3-compatible store replace the file system later without touching callers.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parserTask } from './parser-pool.ts';
import type { CsvOptions, CsvRow } from './csv-read.ts';
import { siblingModule } from '../../core/module-url.ts';

export interface FileStore {
  /** Writes durably (fsync'd) before resolving. */
  put(key: string, data: Buffer): Promise<void>;
  /** null when there is no such file. */
  get(key: string): Promise<Buffer | null>;
  /** No error when already gone. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,3}$/;

/** A key is a few plain path segments: no `..`, no absolute path, nothing outside the root. */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..')) throw new Error(`invalid file key "${key}"`);
}

/** Files under a root folder, e.g. DATA_DIR/uploads; written to a temporary name, fsync'd, then renamed. */
export class FsFileStore implements FileStore {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  private file(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.file(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }
}

// ---- reading users' files off the main thread, within limits ----
export { ParserPool, parserTask, DEFAULT_PARSER_POOL, type ParserTask, type ParserPoolOptions } from './parser-pool.ts';
export { DEFAULT_SHEET_LIMITS, limitExceeded, unpackedTooLarge, type SheetLimits } from './limits.ts';
export { scanXlsx, rangeArea, type XlsxScan } from './zip-scan.ts';
export { writeZip, zipParts, type ZipEntry } from './zip-write.ts';
export { readCsvRows, csvObjects, sniffDelimiter, type CsvRow, type CsvOptions } from './csv-read.ts';

/** CSV rows on the parser worker: `pool.run(csvRowsTask, bytes, options)`. */
export const csvRowsTask = parserTask<CsvOptions, CsvRow[]>(siblingModule('./csv-read', import.meta.url), 'readCsvRows');
