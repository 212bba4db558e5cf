import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { writeZip, zipParts, type ZipEntry } from './zip-write.ts';

/** The compression method of each entry, read from the central directory (0 stored, 8 deflated). */
function methods(zip: Buffer): Record<string, number> {
  const out: Record<string, number> = {};
  let at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  while (at >= 0 && zip.readUInt32LE(at) === 0x02014b50) {
    const nameLength = zip.readUInt16LE(at + 28);
    out[zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')] = zip.readUInt16LE(at + 10);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

describe('the ZIP writer', () => {
  it('writes an archive every unzip reads: text deflated, compressed files stored as they are, UTF-8 names', async () => {
    const text = Buffer.from('Kecamatan Muara Beliti;12,5\r\n'.repeat(200));
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 300 }, () => 7)]);
    const zip = await writeZip([
      { name: 'bukti/daftar.csv', data: text },
      { name: 'bukti/berkas/foto-jalan-rusak-é.jpg', data: jpeg, compressed: true },
    ]);
    const read = await JSZip.loadAsync(zip);
    assert.deepEqual(await read.file('bukti/daftar.csv')!.async('nodebuffer'), text);
    assert.deepEqual(await read.file('bukti/berkas/foto-jalan-rusak-é.jpg')!.async('nodebuffer'), jpeg);
    assert.deepEqual(methods(zip), { 'bukti/daftar.csv': 8, 'bukti/berkas/foto-jalan-rusak-é.jpg': 0 }, 'the repetitive JPEG would shrink, but a compressed file is stored');
    assert.ok(zip.length < text.length, 'the text was deflated');
  });

  it('reads a lazy entry only when its turn comes, so one file at a time is held', async () => {
    const read: string[] = [];
    const lazy = (name: string): ZipEntry => ({ name, data: async () => (read.push(name), Buffer.from(`isi ${name}`)) });
    const parts = zipParts([lazy('a.txt'), lazy('b.txt'), lazy('c.txt')]);
    const chunks: Buffer[] = [];
    for (let step = 1; step <= 3; step++) {
      const next = await parts.next();
      assert.equal(next.done, false);
      chunks.push(next.value as Buffer);
      assert.equal(read.length, step, `after ${step} part(s), ${step} file(s) read`);
    }
    for await (const rest of parts) chunks.push(rest);
    const zip = await JSZip.loadAsync(Buffer.concat(chunks));
    assert.deepEqual(Object.keys(zip.files), ['a.txt', 'b.txt', 'c.txt']);
    assert.equal(await zip.file('c.txt')!.async('string'), 'isi c.txt');
  });

  it('refuses a name given twice', async () => {
    await assert.rejects(writeZip([{ name: 'a.txt', data: Buffer.from('1') }, { name: 'a.txt', data: Buffer.from('2') }]), /names a\.txt twice/);
  });
});
