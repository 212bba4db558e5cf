import http from 'node:http';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from '../../config/config.ts';
import { AppError, errorBody, isAppError, type ErrorCode } from '../../core/errors.ts';
import { ErrorResponse, OPTIONAL_BODY } from '../../core/http-schemas.ts';
import { assertStorableRequest, boundNumbers } from '../../core/input.ts';
import { lazyResponseSerializers } from '../../core/lazy-serializers.ts';
import { redactUrl } from '../../core/redact.ts';
import { isStorageUnavailable } from '../db/index.ts';
import { registerCompression } from './compression.ts';
import { documentCommonErrors } from './common-errors.ts';
import { requestFailureOf } from './plugin-errors.ts';
import { installResponseCheck, type ResponseMismatch } from './response-check.ts';
import { BEARER_SCHEME, documentRouteSecurity } from './route-security.ts';
import { endSilentConnectionsOnClose } from './silent-connections.ts';
import { inlineScriptSources } from './web.ts';

/**
 * The HTTP server without any route: its log (no secrets in it), request
 * validation, the platform's error format for every error (router, parser,
 * body, routes) and the security headers of every answer.
 */
export function createHttpServer(config: Config, options: { logStream?: DestinationStream | undefined; responseCheck?: ((mismatch: ResponseMismatch) => void) | undefined }) {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream && { stream: options.logStream }),
      serializers: { req: requestForLog },
      // Whatever else logs a URL or a header by these names (plugins too: @fastify/websocket logs `path`).
      redact: {
        paths: ['url', 'path', 'req.url', 'headers.authorization', 'req.headers.authorization', 'headers["sec-websocket-protocol"]', 'password', 'token', 'accessToken'],
        censor: (value: unknown, path: string[]) => (typeof value === 'string' && ['url', 'path'].includes(path[path.length - 1]!) ? redactUrl(value) : '[REDACTED]'),
      },
    },
    // Devices send thousands of requests a second: log failures, not every request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxPayloadBytes,
    // A path parameter longer than this (tokens, ids and ticket numbers are far shorter) is a 414, not a lookup.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: routerError,
    clientErrorHandler: clientError,
    schemaController: { compilersFactory: { buildSerializer: lazyResponseSerializers() } },
    ...(config.trustProxy !== undefined && { trustProxy: config.trustProxy }),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(requestValidators());
  endSilentConnectionsOnClose(app);
  app.addSchema(ErrorResponse);
  installErrorHandling(app);
  if (options.responseCheck) installResponseCheck(app, options.responseCheck);
  documentRouteSecurity(app);
  documentCommonErrors(app);
  installSecurityHeaders(app, config.tileUrl, inlineScriptSources());
  return app;
}

/**
 * The plugins every part uses: compression (first: it attaches to each route
 * registered after it), the OpenAPI document and its page (/api/docs),
 * WebSocket (the stream), rate limits (on the routes that ask for one).
 */
export async function registerHttpPlugins(app: FastifyInstance, options: { version: string; handleProtocols: (offered: Set<string>) => string | false }): Promise<void> {
  await registerCompression(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Cerdas API', version: options.version, description: 'Smart city platform for Indonesian regencies: devices, telemetry, assets, OPDs.' },
      // No global requirement: each route's own (documentRouteSecurity) says whether it takes a session token.
      components: { securitySchemes: { [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'the session token of POST /api/v1/auth/login' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  // The stream's subprotocol is picked from what the client offers, never echoing its bearer token back.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024, handleProtocols: options.handleProtocols } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const error = new AppError('RATE_LIMITED', `too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`);
      return Object.assign(error, { statusCode: 429 });
    },
  });
}

/**
 * The request as logs show it: never its headers (Authorization), and its URL
 * with any credential cut out (device token in the path, ?token=, ack links).
 */
function requestForLog(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip };
}

/**
 * Query strings and paths are text, so their numbers are coerced; JSON bodies
 * are not: `"name": 123` or `"retentionDays": 0` for a nullable field must be
 * refused, not silently turned into "123" or null.
 */
function requestValidators() {
  // Compiled on a route's first request, not at start: the generated code of every
  // route's validators is ~10 MB, and most routes of a given server are never called.
  return (route: { schema: object; httpPart?: string }) => {
    let validate: RequestValidator | undefined;
    return Object.defineProperty((data: unknown) => (validate ??= compiledRequestValidator(route.schema, route.httpPart === 'body'))(data), 'errors', { get: () => validate?.errors });
  };
}

type RequestValidator = ((data: unknown) => boolean) & { errors?: unknown };
/** The two compilers, made on first use and shared by every server of the process. */
let requestAjv: { coercing: Ajv; strict: Ajv } | undefined;
function requestCompilers(): { coercing: Ajv; strict: Ajv } {
  const make = (coerceTypes: AjvOptions['coerceTypes']) => {
    const ajv = new Ajv({ coerceTypes, removeAdditional: true, useDefaults: true, allErrors: false, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  return (requestAjv ??= { coercing: make('array'), strict: make(false) });
}
/**
 * A route schema's validators, by the schema object (a module's constant) and whether it is a body:
 * every server of one process (a test file starts dozens) compiles each once. They hold no state of a
 * server: the schema alone decides what they accept.
 */
const requestValidatorsBySchema = new WeakMap<object, { body?: RequestValidator; text?: RequestValidator }>();

function compiledRequestValidator(declared: object, isBody: boolean): RequestValidator {
  let known = requestValidatorsBySchema.get(declared);
  if (!known) requestValidatorsBySchema.set(declared, (known = {}));
  const slot = isBody ? 'body' : 'text';
  return (known[slot] ??= compileRequestValidator(declared, isBody));
}

function compileRequestValidator(declared: object, isBody: boolean): RequestValidator {
  const { coercing, strict } = requestCompilers();
  // Every number is bounded, in every route, whatever its schema forgot (core/input.ts).
  const schema = boundNumbers(declared);
  if (!isBody) return coercing.compile(schema);
  const validate = strict.compile(schema);
  // A body marked optional may be left out entirely (POST /alarms/{id}/ack with no note).
  if (!(schema as Record<string, unknown>)[OPTIONAL_BODY]) return validate;
  return Object.assign((data: unknown) => data === undefined || validate(data), { get errors() { return validate.errors; } });
}

/**
 * Every answer says what a browser may do with it: scripts, styles, images and
 * connections from this platform only (map tiles from TILE_URL's origin), never
 * framed (clickjacking), types not sniffed, no referrer (acknowledgement links
 * carry a token); the pages' own inline scripts by their hash. The API documentation page ships its own inline script and is
 * left to the swagger plugin's own policy.
 */
function installSecurityHeaders(app: FastifyInstance, tileUrl: string | undefined, inlineScripts: string[]): void {
  const tiles = tileUrl ? ` ${new URL(tileUrl.replace(/\{[a-z]\}/g, '0')).origin}` : '';
  const policy = [
    "default-src 'self'",
    ["script-src 'self'", ...inlineScripts].join(' '),
    // Leaflet and the ack page set inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!request.url.startsWith('/api/docs')) reply.header('content-security-policy', policy);
    return payload;
  });
}

/** Longest path parameter, in characters. */
const MAX_PARAM_LENGTH = 500;

/**
 * Errors of the router, before any route runs (a path with bad percent-encoding,
 * a parameter past MAX_PARAM_LENGTH): a 400/414 in the error format of the API
 * the path belongs to, never Fastify's own body.
 */
function routerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status = tooLong ? 414 : 400;
  const message = tooLong ? `a part of the path is longer than ${MAX_PARAM_LENGTH} characters` : 'the path is not valid: a percent-encoded byte is malformed or not UTF-8';
  const body = request.raw.url?.startsWith('/open311/') ? [{ code: status, description: message }] : errorBody(tooLong ? 'URI_TOO_LONG' : 'VALIDATION_FAILED', message);
  reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Errors of the HTTP parser (a request line or headers too large, malformed HTTP): the platform's error format too. */
function clientError(error: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request line or headers are larger than the limit']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'INVALID_HTTP', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

function installErrorHandling(app: FastifyInstance): void {
  // Every string a route receives (path, query, parsed body, with or without a schema) passes the one input rule.
  app.addHook('preValidation', async (request) => assertStorableRequest(request));
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (isAppError(error)) return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
    const fe = error as FastifyError;
    if (fe.validation) return reply.code(400).send(errorBody('VALIDATION_FAILED', fe.message));
    // The body parser's and the plugins' own errors (size, type, JSON, multipart), named alike everywhere.
    const failure = requestFailureOf(fe);
    if (failure) return reply.code(failure.status).send(errorBody(failure.code, failure.message));
    if (fe instanceof SyntaxError || fe.statusCode === 400) return reply.code(400).send(errorBody('INVALID_JSON', `the body is not valid JSON: ${fe.message}`));
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(errorBody('VALIDATION_FAILED', fe.message));
    }
    if (isStorageUnavailable(error)) {
      request.log.error({ err: error, req: request }, 'storage unavailable');
      return reply.code(503).header('retry-after', '5').send(errorBody('UNAVAILABLE', 'the database is not answering right now; try again shortly'));
    }
    request.log.error({ err: error, req: request }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'an internal error occurred; it has been logged'));
  });
}
