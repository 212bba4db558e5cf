/**
 * Errors with a stable machine code that clients branch on, and the HTTP status
 * they map to. Every error a user can see is registered here, once.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  /** malformed HTTP that never reached a route */
  INVALID_HTTP: 400,
  INVALID_JSON: 400,
  TELEMETRY_INVALID: 400,
  ATTRIBUTES_INVALID: 400,
  QUERY_INVALID: 400,
  /** a gateway message that is malformed, or names more devices than a message or a gateway may have */
  GATEWAY_MESSAGE_INVALID: 400,
  TOO_MANY_POINTS: 400,
  GEOMETRY_INVALID: 400,
  CATEGORY_UNKNOWN: 400,
  CSV_INVALID: 400,
  /** a device import file with bad lines: `details.errors` names each line; nothing was created */
  DEVICE_IMPORT_INVALID: 400,
  PHOTO_INVALID: 400,
  EVALUATION_WEIGHTS_INVALID: 400,
  UPLOAD_INVALID: 400,
  LOCATION_OUTSIDE_REGION: 400,
  IMPORT_FILE_INVALID: 400,
  METRIC_INVALID: 400,
  /** a resident's confirmation code is wrong or expired */
  SUBSCRIPTION_CODE_INVALID: 400,
  /** too short or too easy to guess (zxcvbn score below 3); the message says why, in both languages */
  PASSWORD_WEAK: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  DEVICE_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  /** GeoReport v2: "403 – api_key was not provided or is invalid" */
  API_KEY_MISSING: 403,
  API_KEY_INVALID: 403,
  ERASE_SECRET_INVALID: 403,
  /** the reporter's code does not match the ticket (or was spent by erasing their data) */
  REPORTER_SECRET_INVALID: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  REGION_NOT_FOUND: 404,
  OPD_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  ASSET_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  PROFILE_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  RPC_NOT_FOUND: 404,
  CATEGORY_NOT_FOUND: 404,
  PHOTO_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  JURISDICTION_NOT_FOUND: 404,
  PROGRAM_NOT_FOUND: 404,
  KPI_NOT_FOUND: 404,
  INITIATIVE_NOT_FOUND: 404,
  QUICK_WIN_NOT_FOUND: 404,
  MILESTONE_NOT_FOUND: 404,
  /** a master plan record (strategic issue, ICT entry, strategy, goal, development plan, appendix) that does not exist in the region */
  MP_RECORD_NOT_FOUND: 404,
  IMPORT_NOT_FOUND: 404,
  WARNING_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  /** a stop or unsubscribe link whose token is unknown */
  LINK_NOT_FOUND: 404,
  /** no offline base map is installed (BASEMAP_PMTILES unset, or its file gone) */
  BASEMAP_NOT_FOUND: 404,
  CONFLICT: 409,
  /** a command to a device that is not connected now and was not sent as persistent */
  DEVICE_OFFLINE: 409,
  /** a command to a device whose access token was revoked: it cannot connect to take it */
  DEVICE_REVOKED: 409,
  EMAIL_TAKEN: 409,
  OPD_IN_USE: 409,
  INCIDENT_TRANSITION_INVALID: 409,
  CATEGORY_EXISTS: 409,
  /** a device type has one profile per region */
  PROFILE_EXISTS: 409,
  REVIEW_TRANSITION_INVALID: 409,
  /** a funding trace line shared by several initiatives whose shares would not sum to 100% */
  LINE_SHARES_INVALID: 409,
  /** a public warning that is no longer a draft (approved, sent or discarded) */
  WARNING_STATE_INVALID: 409,
  REQUEST_TIMEOUT: 408,
  /** the change would leave the region without an active admin */
  LAST_ADMIN: 409,
  PAYLOAD_TOO_LARGE: 413,
  PHOTO_TOO_LARGE: 413,
  UPLOAD_TOO_LARGE: 413,
  IMPORT_FILE_TOO_LARGE: 413,
  /** a path parameter longer than the router takes */
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** a Range header asking for bytes outside the file, or for several ranges at once */
  RANGE_NOT_SATISFIABLE: 416,
  /** a multipart/form-data body that cannot be read (no boundary, a broken part, cut short) */
  INVALID_MULTIPART: 400,
  /** a plain request to a WebSocket route */
  UPGRADE_REQUIRED: 426,
  /** a file read within its limits says something we cannot process: more rows, columns, merged cells or shared strings than allowed, or it took too long to read; `details` names the limit */
  IMPORT_LIMIT_EXCEEDED: 422,
  /** a zip (XLSX) whose structure cannot be read safely: encrypted, ZIP64, an unknown compression method, entries that lie about their size */
  IMPORT_FILE_UNPROCESSABLE: 422,
  /** the device's profile does not list this command among those its type accepts */
  RPC_METHOD_NOT_ALLOWED: 422,
  RATE_LIMITED: 429,
  /** an address with too many early-warning subscriptions waiting for their confirmation */
  TOO_MANY_PENDING: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  /** the device did not answer a two-way command in time (ThingsBoard answers 504 too) */
  RPC_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
    this.name = 'AppError';
    this.status = ERROR_CODES[code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The JSON body of every error answer: `{"error":{"code","message"}}`. */
export function errorBody(code: ErrorCode | string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
