/**
 * Writes a ZIP archive (PKZIP 2.0: deflate, no ZIP64, no encryption), one file at a time:
 * enough for a download pack of documents and evidence files, each well under 4 GiB, and
 * readable by every unzip tool. node:zlib does the deflate and the CRC-32.
 */
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';

// On libuv's thread pool: a pack of evidence files is megabytes of deflate, which on the main thread would stall every request meanwhile.
const deflate = promisify(deflateRaw);

export interface ZipEntry {
  name: string;
  /** the bytes, or how to read them when the entry's turn comes */
  data: Buffer | (() => Promise<Buffer>);
  /** ms since epoch; the archive keeps local time to 2 s */
  modified?: number;
  /** compressed already (JPEG, PDF…): stored without trying deflate */
  compressed?: boolean;
}

const LIMIT = 0xffff_ffff;

function dosTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  const year = Math.max(1980, d.getFullYear());
  return { time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2), date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate() };
}

/**
 * The archive as it is written, part by part: an entry whose `data` is a function is read
 * only when its turn comes, so a pack of many large files holds one of them in memory at a
 * time, not the whole archive. Names are UTF-8 (flag bit 11), each name once.
 */
export async function* zipParts(entries: Iterable<ZipEntry>): AsyncGenerator<Buffer> {
  const names = new Set<string>();
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`the archive names ${e.name} twice`);
    names.add(e.name);
    const data = typeof e.data === 'function' ? await e.data() : e.data;
    const name = Buffer.from(e.name, 'utf8');
    // files compressed already (PDF, JPEG, PNG, Office files) are stored: deflating them again only costs CPU
    const deflated = e.compressed ? data : await deflate(data);
    // a file that does not shrink is stored as it is
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    if (data.length >= LIMIT || offset >= LIMIT) throw new Error('the archive is too large for a ZIP without ZIP64');
    const crc = crc32(data);
    const { time, date } = dosTime(e.modified ?? Date.now());
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(0x0800, 8);
    head.writeUInt16LE(stored ? 0 : 8, 10);
    head.writeUInt16LE(time, 12);
    head.writeUInt16LE(date, 14);
    head.writeUInt32LE(crc, 16);
    head.writeUInt32LE(body.length, 20);
    head.writeUInt32LE(data.length, 24);
    head.writeUInt16LE(name.length, 28);
    head.writeUInt32LE(offset, 42);
    central.push(head, name);
    yield Buffer.concat([local, name, body]);
    offset += local.length + name.length + body.length;
    count++;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  yield Buffer.concat([dir, end]);
}

/** The whole archive in memory (small archives; a download streams `zipParts`). */
export async function writeZip(entries: Iterable<ZipEntry>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of zipParts(entries)) parts.push(part);
  return Buffer.concat(parts);
}
