/** Reading one uploaded file of a multipart request, for the master plan's upload routes. */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { assertStorableText } from '../../core/input.ts';
import { fileBytes } from '../../platform/http/multipart.ts';

/** The one file of a multipart upload, in `field`; the size cap gives UPLOAD_TOO_LARGE, not a 500. */
export async function readUpload(request: FastifyRequest, field: string, maxBytes: number): Promise<{ bytes: Buffer; filename: string | undefined }> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the file as multipart/form-data, field "${field}"`);
  const part = await request.file({ limits: { fileSize: maxBytes } });
  if (!part || part.fieldname !== field) {
    part?.file.resume();
    throw new AppError('VALIDATION_FAILED', `send the file in the multipart field "${field}"`);
  }
  const bytes = await fileBytes(part, () => new AppError('UPLOAD_TOO_LARGE', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`));
  // The file name is stored: it follows the input rule like any other field.
  assertStorableText(part.filename, 'filename');
  return { bytes, filename: part.filename };
}
