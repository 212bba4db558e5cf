import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** One answer that the OpenAPI document does not describe: its route, status and what is wrong. */
export interface ResponseMismatch {
  method: string;
  /** the route's pattern, e.g. /api/v1/incidents/:id */
  route: string;
  status: number;
  contentType: string;
  problem: string;
}

type Schema = Record<string, unknown>;
/** A documented answer: its media types, each with its schema (undefined: any body). */
type Documented = Map<string, Schema | undefined>;
interface RouteSchema {
  hide?: boolean;
  produces?: string[];
  response?: Record<string, unknown>;
}

const JSON_TYPE = 'application/json';

/**
 * The documented answers of a route for one status, as Fastify and
 * @fastify/swagger read `schema.response`: the exact code, then `4xx`, then
 * `default`; `{type: 'null'}` is an answer without a body; a plain schema is
 * JSON (or the route's `produces` types); `{content: {type: {schema}}}` names its types.
 */
function documentedFor(schema: RouteSchema | undefined, status: number): Documented | null {
  const responses = schema?.response;
  if (!responses) return null;
  const entry = (responses[String(status)] ?? responses[`${String(status)[0]}xx`] ?? responses.default) as Schema | undefined;
  if (entry === undefined) return null;
  const out: Documented = new Map();
  if (entry.type === 'null') return out;
  const content = entry.content as Record<string, { schema?: Schema }> | undefined;
  if (content && typeof content === 'object') {
    for (const [type, media] of Object.entries(content)) out.set(type, media?.schema);
    return out;
  }
  for (const type of schema?.produces?.length ? schema.produces : [JSON_TYPE]) out.set(type, entry);
  return out;
}

/** The documented media type that covers the one sent (`text/*` covers text/csv; `* /*` covers all). */
function mediaFor(documented: Documented, contentType: string): string | undefined {
  const sent = contentType.split(';')[0]!.trim().toLowerCase();
  for (const type of documented.keys()) {
    const [major, minor] = type.toLowerCase().split('/');
    const [sentMajor, sentMinor] = sent.split('/');
    if ((major === '*' || major === sentMajor) && (minor === '*' || minor === sentMinor)) return type;
  }
  return undefined;
}

function bodyText(payload: unknown): string | null {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return null;
}

interface ResponseCompiler {
  ajv: Ajv;
  /** By the schema's text: most routes share their error schemas, each route's being its own object. */
  compiled: Map<string, ValidateFunction>;
}
/** One compiler for the servers of a process with the same shared schemas (a test file starts dozens). */
const responseCompilers = new Map<string, ResponseCompiler>();

function responseCompilerFor(shared: Record<string, Schema>): ResponseCompiler {
  const key = JSON.stringify(shared);
  let compiler = responseCompilers.get(key);
  if (!compiler) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(ajv);
    for (const schema of Object.values(shared)) ajv.addSchema(schema);
    responseCompilers.set(key, (compiler = { ajv, compiled: new Map() }));
  }
  return compiler;
}

/**
 * In test mode: every answer of a documented route is checked against its
 * route's response schema for the status sent (compiled with Ajv, shared
 * schemas such as `Error` included). An undocumented status, a media type the
 * document does not name, or a body its schema refuses is reported, so the
 * document stays what the API really sends. Streams (files) are checked by
 * status and type only; hidden routes and the not-found handler are skipped.
 */
export function installResponseCheck(app: FastifyInstance, report: (mismatch: ResponseMismatch) => void): void {
  let compiler: ResponseCompiler | undefined;
  const bySchema = new WeakMap<Schema, ValidateFunction>();
  const validatorOf = (schema: Schema) => {
    const known = bySchema.get(schema);
    if (known) return known;
    compiler ??= responseCompilerFor(app.getSchemas() as Record<string, Schema>);
    const key = JSON.stringify(schema);
    let validate = compiler.compiled.get(key);
    if (!validate) {
      validate = compiler.ajv.compile(schema);
      compiler.compiled.set(key, validate);
    }
    bySchema.set(schema, validate);
    return validate;
  };

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const options = request.routeOptions;
    const schema = options.schema as RouteSchema | undefined;
    // Not a route (the not-found handler) or a hidden one (the web app, the docs UI).
    if (!options.url || request.is404 || schema?.hide) return payload;
    const status = reply.statusCode;
    const contentType = String(reply.getHeader('content-type') ?? '');
    const mismatch = (problem: string) => report({ method: request.method, route: options.url!, status, contentType, problem });
    const documented = documentedFor(schema, status);
    if (!documented) {
      mismatch(`status ${status} is not documented`);
      return payload;
    }
    // HTTP sends no body with these, whatever the payload (a serialized null).
    if (request.method === 'HEAD' || status === 204 || status === 304) return payload;
    const text = bodyText(payload);
    if (documented.size === 0) {
      if (payload !== null && payload !== undefined && text !== '') mismatch('documented without a body, sent one');
      return payload;
    }
    const media = mediaFor(documented, contentType);
    if (media === undefined) {
      mismatch(`sent ${contentType || 'no content type'}, documented ${[...documented.keys()].join(', ')}`);
      return payload;
    }
    const bodySchema = documented.get(media);
    if (!bodySchema || text === null || !/json/i.test(contentType)) return payload;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      mismatch('the body is not JSON');
      return payload;
    }
    const validate = validatorOf(bodySchema);
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`);
      mismatch(`the body does not match: ${errors.join('; ')}`);
    }
    return payload;
  });
}
