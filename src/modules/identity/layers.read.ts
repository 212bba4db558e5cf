/**
 * A map layer as an admin uploads it (up to 20 MB of GeoJSON), read on the
 * parser worker: parsing and checking every geometry of a large layer would
 * otherwise stall the event loop that device ingest shares. The worker answers
 * the FeatureCollection as JSON text, stored as it is: the main thread never
 * parses the big document.
 */
import { AppError } from '../../core/errors.ts';
import { validateGeometry } from '../../core/geo.ts';
import { textProblem } from '../../core/input.ts';
import { parserTask } from '../../platform/files/index.ts';

export interface LayerUploadLimits {
  maxFeatures: number;
}

export interface LayerUpload {
  name: { id: string; en: string };
  approximate: boolean;
  /** the checked FeatureCollection, as JSON */
  geojsonText: string;
}

export const LAYER_LIMITS: LayerUploadLimits = { maxFeatures: 100_000 };

/**
 * Throws GEOMETRY_INVALID saying which feature is wrong; the one check of a layer's features, here and for layers given as objects.
 * Of the collection's foreign members only `attribution` is kept: the credit a map must show under the
 * layer ("© OpenStreetMap contributors (ODbL)"), plain text, so that a GeoJSON file carries its own licence line.
 */
export function checkFeatureCollection(input: unknown, limits: LayerUploadLimits = LAYER_LIMITS): { type: 'FeatureCollection'; attribution?: string; features: unknown[] } {
  const fc = input as { type?: unknown; features?: unknown; attribution?: unknown };
  if (typeof fc !== 'object' || fc === null || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new AppError('GEOMETRY_INVALID', 'geojson must be a GeoJSON FeatureCollection');
  }
  if (fc.features.length > limits.maxFeatures) throw new AppError('GEOMETRY_INVALID', `a layer holds at most ${limits.maxFeatures.toLocaleString('en-US')} features`);
  fc.features.forEach((f: unknown, i: number) => {
    const feature = f as { type?: unknown; geometry?: unknown };
    if (feature?.type !== 'Feature') throw new AppError('GEOMETRY_INVALID', `features[${i}] must be a Feature`);
    try {
      validateGeometry(feature.geometry);
    } catch (error) {
      throw new AppError('GEOMETRY_INVALID', `features[${i}].${(error as Error).message}`);
    }
  });
  const attribution = fc.attribution;
  if (attribution !== undefined && attribution !== null) {
    if (typeof attribution !== 'string' || attribution.trim() === '' || attribution.length > 300) throw new AppError('GEOMETRY_INVALID', 'geojson.attribution must be text of 1 to 300 characters');
    const problem = textProblem(attribution);
    if (problem) throw new AppError('GEOMETRY_INVALID', `geojson.attribution ${problem}`);
    return { type: 'FeatureCollection', attribution: attribution.trim(), features: fc.features };
  }
  return { type: 'FeatureCollection', features: fc.features };
}

function nameText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) throw new AppError('VALIDATION_FAILED', `body.name.${field} must be text of 1 to 200 characters`);
  const problem = textProblem(value);
  if (problem) throw new AppError('VALIDATION_FAILED', `body.name.${field} ${problem}`);
  return value.trim();
}

/** `{name: {id, en}, approximate?, geojson}` as the upload's bytes: checked whole, or an AppError saying what is wrong. */
export function readLayerUpload(bytes: Uint8Array, limits: LayerUploadLimits): LayerUpload {
  let body: { name?: { id?: unknown; en?: unknown }; approximate?: unknown; geojson?: unknown };
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as typeof body;
  } catch (error) {
    throw new AppError('INVALID_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || typeof body.name !== 'object' || body.name === null) throw new AppError('VALIDATION_FAILED', 'send {"name":{"id","en"},"approximate"?,"geojson"}');
  if (body.approximate !== undefined && typeof body.approximate !== 'boolean') throw new AppError('VALIDATION_FAILED', 'body.approximate must be true or false');
  const fc = checkFeatureCollection(body.geojson, limits);
  return { name: { id: nameText(body.name.id, 'id'), en: nameText(body.name.en, 'en') }, approximate: body.approximate === true, geojsonText: JSON.stringify(fc) };
}

/** readLayerUpload on the parser worker. */
export const layerUploadTask = parserTask<LayerUploadLimits, LayerUpload>(new URL(import.meta.url), 'readLayerUpload');
