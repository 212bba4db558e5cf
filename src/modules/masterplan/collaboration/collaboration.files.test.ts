import assert from 'node:assert/strict';
import { test } from 'node:test';
import JSZip from 'jszip';
import sharp from 'sharp';
import { AppError } from '../../../core/errors.ts';
import { acceptUpload, safeFilename, sniff } from './collaboration.files.ts';

test('the type of an upload is read from its bytes', async () => {
  assert.equal(sniff(Buffer.from('%PDF-1.7\n...'))?.contentType, 'application/pdf');
  assert.equal(sniff(await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer())?.ext, 'png');
  assert.equal(sniff(await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).jpeg().toBuffer())?.ext, 'jpg');
  const docx = new JSZip();
  docx.file('[Content_Types].xml', '<Types/>');
  docx.file('word/document.xml', '<w:document/>');
  assert.equal(sniff(await docx.generateAsync({ type: 'nodebuffer' }))?.ext, 'docx');
  const plainZip = new JSZip();
  plainZip.file('a.txt', 'x');
  assert.equal(sniff(await plainZip.generateAsync({ type: 'nodebuffer' })), null, 'a zip that is not an Office file');
  assert.equal(sniff(Buffer.from('<html><body>%PDF-</body></html>')), null);
  assert.equal(sniff(Buffer.from('MZ\x90\x00')), null);
});

test('uploads: empty, too large or of an unknown type are refused with their codes', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
      return null;
    } catch (e) {
      return e instanceof AppError ? e.code : 'other';
    }
  };
  assert.equal(code(() => acceptUpload(Buffer.alloc(0), 100, 'file')), 'UPLOAD_INVALID');
  assert.equal(code(() => acceptUpload(Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(200)]), 100, 'file')), 'UPLOAD_TOO_LARGE');
  assert.equal(code(() => acceptUpload(Buffer.from('just text'), 100, 'file')), 'UPLOAD_INVALID');
  assert.equal(code(() => acceptUpload(Buffer.from('%PDF-1.4'), 100, 'file')), null);
});

test('file names are made safe for a header', () => {
  assert.equal(safeFilename('../../etc/"passwd"\r\n.pdf', 'x.pdf'), '....etcpasswd.pdf');
  assert.equal(safeFilename('Bukti Évaluasi 2022.pdf', 'x.pdf'), 'Bukti Evaluasi 2022.pdf');
  assert.equal(safeFilename('"";', 'bukti.pdf'), 'bukti.pdf');
  assert.equal(safeFilename(undefined, 'bukti.pdf'), 'bukti.pdf');
});
