import { Type, type TSchema } from 'typebox';
import { MAX_EPOCH_MS } from './limits.ts';

/** `{"error":{"code","message"}}`, the body of every error answer. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable machine code, e.g. DEVICE_NOT_FOUND' }),
      message: Type.String({ description: 'what is wrong, for a person' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);

export const Id = Type.String({ format: 'uuid', description: 'identifier (UUID)' });
export const IdParams = Type.Object({ id: Id });

/** A time in a request: ms since epoch, UTC, from 1970 to 2200 (what a bigint column and a JavaScript Date both hold). */
export function EpochMs(description: string) {
  return Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS, description: `ms since epoch, UTC (1970–2200): ${description}` });
}

export const PageQuery = {
  /** rows per page */
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'rows per page (1–1000)' })),
  /** the nextCursor of the previous page */
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor of the previous page' })),
};

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Marks a body schema that a request may leave out altogether. */
export const OPTIONAL_BODY = 'x-optional-body';

/** Error answers every authenticated route may give. */
export const authErrors = {
  400: Type.Ref('Error'),
  401: Type.Ref('Error'),
  403: Type.Ref('Error'),
  404: Type.Ref('Error'),
};

/**
 * A documented answer that is not JSON (a CSV, a photo, a document): its media
 * types, each a string of bytes. The response check and the OpenAPI document
 * read `content` per type.
 */
/** What an uploaded master plan file may be (collaboration.files.ts tells them from their bytes). */
export const UPLOADED_FILE_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

export function FileResponse(description: string, mediaTypes: string[]) {
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: Type.String({ contentMediaType: type }) }])) };
}

/**
 * An answer without a body (`reply.send()`): the OpenAPI document shows no
 * content (`type: 'null'`), and the route's handler sends nothing, not `null`.
 */
export function NoBody(description: string) {
  return Type.Unsafe<undefined>({ type: 'null', description });
}
