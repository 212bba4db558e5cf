import { createHash } from 'node:crypto';
import type { OutputInfo } from 'sharp';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { isUuid, newId } from '../../core/ids.ts';
import { fileBytes } from '../../platform/http/multipart.ts';
import type { FileStore } from '../../platform/files/index.ts';
import type { Photo } from './reports.contract.ts';
import type { PhotoRow, ReportsRepository } from './reports.repository.ts';

/** Longest side of a stored photo: enough to see a pothole, small enough for a 3G phone. */
export const PHOTO_MAX_SIDE = 1600;
/**
 * A photo larger than this many pixels is refused from its header, before it is
 * decoded: a 2 KB PNG can declare 100,000 × 100,000 pixels (a decompression
 * bomb). 50 megapixels is the largest a phone saves by default; decoded as RGB it
 * is 150 MB at most, and libvips reads it line by line for the resize.
 */
export const PHOTO_MAX_PIXELS = 50_000_000;

export type SniffedType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/avif';

/** The image type the bytes themselves say, whatever the upload's Content-Type claims. */
export function sniffImage(bytes: Buffer): SniffedType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') {
    const brand = bytes.toString('latin1', 8, 12);
    if (['avif', 'avis'].includes(brand)) return 'image/avif';
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
  }
  return null;
}

export const photoUrl = (id: string) => `/api/v1/photos/${id}`;

/**
 * Report photos: checked from their bytes, turned upright by their EXIF
 * orientation, scaled to at most 1600 px and re-encoded as JPEG, which drops
 * every EXIF, GPS and camera field (a photo's location is personal data).
 */
export class PhotosService {
  private readonly repo: ReportsRepository;
  private readonly store: FileStore;
  private readonly clock: Clock;
  readonly maxBytes: number;
  constructor(repo: ReportsRepository, store: FileStore, clock: Clock, maxBytes: number) {
    this.repo = repo;
    this.store = store;
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  async accept(regionId: string, bytes: Buffer, apiKeyId: string | null): Promise<Photo> {
    if (bytes.length > this.maxBytes) throw new AppError('PHOTO_TOO_LARGE', `a photo may have at most ${Math.round(this.maxBytes / 1024 / 1024)} MB`);
    if (bytes.length === 0) throw new AppError('PHOTO_INVALID', 'the photo is empty');
    const type = sniffImage(bytes);
    if (!type) throw new AppError('PHOTO_INVALID', 'the file is not a JPEG, PNG, WebP or HEIC image');
    // Loaded with the first photo (libvips is ~10 MB): many servers never receive one.
    const { default: sharp } = await import('sharp');
    // the header only (sharp reads it on its own threads): the pixels it declares, before any is decoded
    const header = await sharp(bytes, { limitInputPixels: false })
      .metadata()
      .catch(() => null);
    if (header?.width !== undefined && header.height !== undefined && header.width * header.height > PHOTO_MAX_PIXELS) {
      const pixels = header.width * header.height;
      throw new AppError('PHOTO_TOO_LARGE', `the photo declares ${header.width} × ${header.height} pixels (${pixels.toLocaleString('en-US')}); at most ${PHOTO_MAX_PIXELS.toLocaleString('en-US')}`, { limit: 'pixels', max: PHOTO_MAX_PIXELS, actual: pixels });
    }
    let output: { data: Buffer; info: OutputInfo };
    try {
      // the limit again while decoding: a file whose frames or pages say otherwise than its first header
      output = await sharp(bytes, { failOn: 'error', limitInputPixels: PHOTO_MAX_PIXELS, sequentialRead: true })
        .rotate()
        .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      const why = type === 'image/heic' ? 'this HEIC photo cannot be read here; send it as JPEG' : `the ${type.slice(6).toUpperCase()} image cannot be read`;
      throw new AppError('PHOTO_INVALID', `${why} (${(error as Error).message.split('\n')[0]})`);
    }
    const id = newId();
    const now = this.clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const row: PhotoRow = {
      id,
      region_id: regionId,
      content_type: 'image/jpeg',
      bytes: output.data.length,
      width: output.info.width,
      height: output.info.height,
      storage_key: `photos/${day}/${id}.jpg`,
      sha256: createHash('sha256').update(output.data).digest('hex'),
      original_type: type,
      api_key_id: apiKeyId,
      ticket: null,
      created_at: now,
    };
    // The file first: a row never points at a photo that is not there.
    await this.store.put(row.storage_key, output.data);
    try {
      await this.repo.insertPhoto(row);
    } catch (error) {
      await this.store.delete(row.storage_key).catch(() => undefined);
      throw error;
    }
    return { id, url: photoUrl(id), contentType: row.content_type, bytes: row.bytes, width: row.width, height: row.height };
  }

  /** Whether a photo id exists in this region and is not yet part of a report. */
  async available(regionId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const row = await this.repo.photo(id);
    return row !== undefined && row.region_id === regionId && row.ticket === null;
  }

  /** Claims photos for a report being filed; false when one was taken meanwhile. */
  async claim(ids: string[]): Promise<boolean> {
    const claimed = await this.repo.setPhotoTicket(ids, 'pending', null);
    if (claimed === ids.length) return true;
    await this.repo.setPhotoTicket(ids, null, 'pending');
    return false;
  }

  async release(ids: string[]): Promise<void> {
    await this.repo.setPhotoTicket(ids, null, 'pending');
  }

  async attach(ids: string[], ticket: string): Promise<void> {
    await this.repo.setPhotoTicket(ids, ticket, 'pending');
  }

  /** Removes photos uploaded more than `olderThanMs` ago that never became part of a report. */
  async purgeUnattached(olderThanMs = 86_400_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows = await this.repo.unattachedPhotos(this.clock.now() - olderThanMs, 500);
      for (const row of rows) {
        await this.repo.deletePhoto(row.id);
        await this.store.delete(row.storage_key);
        removed++;
      }
      if (rows.length < 500) return removed;
    }
  }

  /** Deletes a photo's file and row (a report that could not be filed after all). */
  async remove(id: string): Promise<void> {
    const row = isUuid(id) ? await this.repo.photo(id) : undefined;
    if (!row) return;
    await this.repo.deletePhoto(id);
    await this.store.delete(row.storage_key);
  }

  async read(id: string): Promise<{ data: Buffer; contentType: string; sha256: string }> {
    const row = isUuid(id) ? await this.repo.photo(id) : undefined;
    const data = row ? await this.store.get(row.storage_key) : null;
    if (!row || !data) throw new AppError('PHOTO_NOT_FOUND', `no photo ${id}`);
    return { data, contentType: row.content_type, sha256: row.sha256 };
  }
}

/** A multipart file's bytes, or PHOTO_TOO_LARGE once it passes the cap (the rest is not kept). */
export function readPhoto(part: Parameters<typeof fileBytes>[0], maxBytes: number): Promise<Buffer> {
  return fileBytes(part, () => new AppError('PHOTO_TOO_LARGE', `a photo may have at most ${Math.round(maxBytes / 1024 / 1024)} MB`));
}
