import type { FastifyError } from 'fastify';
import type { ErrorCode } from '../../core/errors.ts';

/** What a request that failed before its route ran is answered: status, stable code, a message for a person. */
export interface RequestFailure {
  status: number;
  code: ErrorCode;
  message: string;
}

/** Errors the multipart parser (busboy) throws as plain Errors, without a status. */
const MULTIPART_BROKEN = /^(Multipart: Boundary not found|Malformed part header|Unexpected end of (form|file|multipart data))/;

/**
 * The errors of Fastify's body parser and of the plugins (multipart, form
 * body) mapped to the platform's codes, so that every API (and Open311, in its
 * own format) answers them alike; null for any other error.
 */
export function requestFailureOf(error: FastifyError | Error): RequestFailure | null {
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than the limit' };
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, code: 'UPLOAD_TOO_LARGE', message: 'the uploaded file is larger than the limit' };
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the form has more parts, files or fields than allowed' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'this content type is not taken here; send JSON with Content-Type: application/json (uploads: multipart/form-data)' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'INVALID_JSON', message: 'the body is empty; send a JSON object' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'INVALID_JSON', message: `the body is not valid JSON: ${error.message}` };
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
      return { status: 400, code: 'INVALID_MULTIPART', message: `the multipart form cannot be read: ${error.message}` };
  }
  if (code === undefined && MULTIPART_BROKEN.test(error.message)) return { status: 400, code: 'INVALID_MULTIPART', message: `the multipart form cannot be read: ${error.message}` };
  return null;
}
