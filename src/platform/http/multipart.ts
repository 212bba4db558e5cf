/** Reading an uploaded file of a multipart request, with its size cap. */
import type { MultipartFile } from '@fastify/multipart';
import type { AppError } from '../../core/errors.ts';

/**
 * The bytes of a multipart file, or the error `tooLarge` gives once the file passes the size cap.
 * @fastify/multipart throws only when a chunk arrives after the cap: a file cut exactly where a chunk
 * ended comes back as if whole, marked `truncated`. That is checked too, or a cut photo would be
 * refused as unreadable and a cut CSV imported short.
 */
export async function fileBytes(part: Pick<MultipartFile, 'toBuffer' | 'file'>, tooLarge: () => AppError): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw error;
  }
  if (part.file.truncated) throw tooLarge();
  return bytes;
}
