/**
 * The served OpenAPI document is valid (swagger-parser, and every schema in it
 * against JSON Schema 2020-12, the dialect of OpenAPI 3.1) and true: security
 * per route as the routes really authenticate, the WebSocket stream described.
 * Errors of the router, the body parser and the plugins come out in the
 * platform's error format, and in Open311's under /open311/, on both dialects.
 * (That every answer matches its documented schema and status is checked in
 * every API test: test/helpers.ts turns on the app's response check.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { dialects, startServer, type TestServer } from './helpers.ts';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses?: Record<string, unknown>; 'x-websocket'?: Record<string, { $ref?: string }> }>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, unknown> };
  security?: unknown;
};

/** Every schema object of the document: components, parameters, bodies, responses. */
function schemasOf(doc: Doc): { where: string; schema: object }[] {
  const out: { where: string; schema: object }[] = [];
  for (const [name, schema] of Object.entries(doc.components.schemas)) out.push({ where: `#/components/schemas/${name}`, schema });
  const walk = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && value && typeof value === 'object') out.push({ where: `${where}/schema`, schema: value });
      else walk(value, `${where}/${key}`);
    }
  };
  walk(doc.paths, '#/paths');
  return out;
}

for (const dialect of await dialects()) {
  describe(`OpenAPI document and error formats (${dialect.name})`, () => {
    let server: TestServer;
    let doc: Doc;
    before(async () => {
      server = await startServer(dialect);
      const res = await fetch(`${server.url}/api/docs/json`);
      assert.equal(res.status, 200);
      doc = (await res.json()) as Doc;
    });
    after(() => server.close());

    test('swagger-parser accepts the served document', async () => {
      assert.equal(doc.openapi, '3.1.0');
      await SwaggerParser.validate(structuredClone(doc) as never);
    });

    test('every schema in the document is valid JSON Schema 2020-12 (no draft-07 tuples, no boolean exclusiveMinimum)', () => {
      // Resolves #/components/schemas/... as the document does.
      const ajv = new Ajv2020({ strict: false, validateSchema: true });
      const invalid: string[] = [];
      for (const { where, schema } of schemasOf(doc)) {
        if (!ajv.validateSchema(schema)) invalid.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
        if (JSON.stringify(schema).includes('"additionalItems"')) invalid.push(`${where}: additionalItems (draft-07) in a 2020-12 schema`);
      }
      assert.deepEqual(invalid, []);
    });

    test('security per route: the bearer requirement only where a session token is really asked for', () => {
      assert.equal(doc.security, undefined, 'no global requirement for routes to inherit');
      const securityOf = (path: string, method: string) => doc.paths[path]?.[method]?.security;
      const bearer = [{ bearer: [] }];
      assert.deepEqual(securityOf('/api/v1/auth/login', 'post'), []);
      assert.deepEqual(securityOf('/api/v1/health', 'get'), []);
      assert.deepEqual(securityOf('/api/v1/public/config', 'get'), []);
      assert.deepEqual(securityOf('/open311/v2/requests.json', 'post'), []);
      assert.deepEqual(securityOf('/api/v1/auth/me', 'get'), bearer);
      assert.deepEqual(securityOf('/api/v1/incidents', 'get'), bearer);
      const device = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/{token}/'));
      assert.ok(device.length >= 5, device.join());
      for (const path of device) for (const [method, op] of Object.entries(doc.paths[path]!)) assert.deepEqual(op.security, [], `${method} ${path}`);
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          assert.ok(Array.isArray(op.security), `${method} ${path} states its security`);
          if (path.startsWith('/open311/') || path.startsWith('/api/v1/public/')) assert.deepEqual(op.security, [], `${method} ${path}`);
        }
      }
    });

    test('the bearer requirement is true: a documented bearer route refuses a request without a token, a route without it does not ask', async () => {
      const login = await server.api('POST', '/api/v1/auth/login', { body: { email: 'nobody@contoh.id', password: 'salah-sekali' } });
      assert.equal(login.status, 401);
      assert.equal(login.body.error.code, 'INVALID_CREDENTIALS');
      const me = await server.api('GET', '/api/v1/auth/me');
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'UNAUTHENTICATED');
      assert.equal((await server.api('GET', '/api/v1/public/config')).status, 200);
    });

    test('the WebSocket stream is described: its path, its security and its messages as schemas', async () => {
      const stream = doc.paths['/api/v1/stream']?.get;
      assert.ok(stream, 'GET /api/v1/stream is in the document');
      assert.deepEqual(stream.security, [{ bearer: [] }]);
      assert.ok(stream.responses?.['101'], 'the upgrade is documented');
      const ws = stream['x-websocket']!;
      for (const side of ['client', 'server'] as const) {
        const name = ws[side]?.$ref?.replace('#/components/schemas/', '');
        assert.ok(name && doc.components.schemas[name], `${side} messages: ${JSON.stringify(ws[side])}`);
      }
      // A plain GET (no upgrade) is told what to do, in the error format.
      const token = await server.login();
      const plain = await server.api('GET', '/api/v1/stream', { token });
      assert.equal(plain.status, 426);
      assert.equal(plain.body.error.code, 'UPGRADE_REQUIRED');
    });

    describe('errors of the router, the body parser and the plugins', () => {
      const raw = async (path: string, init: RequestInit = {}) => {
        const res = await fetch(server.url + path, init);
        const text = await res.text();
        return { status: res.status, type: res.headers.get('content-type') ?? '', body: JSON.parse(text) as any };
      };
      const platform = (res: { status: number; type: string; body: any }, status: number, code: string) => {
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.match(res.type, /application\/json/);
        assert.deepEqual(Object.keys(res.body), ['error'], JSON.stringify(res.body));
        assert.equal(res.body.error.code, code);
        assert.equal(typeof res.body.error.message, 'string');
      };
      const open311 = (res: { status: number; type: string; body: any }, status: number) => {
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.match(res.type, /application\/json/);
        assert.ok(Array.isArray(res.body) && res.body.length === 1, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body[0]).sort(), ['code', 'description']);
        assert.equal(res.body[0].code, status);
      };
      const json = (body: string, type = 'application/json') => ({ method: 'POST', headers: { 'content-type': type }, body });

      test('a bad percent-encoding in the path', async () => {
        platform(await raw('/api/v1/devices/%E0%A4%A'), 400, 'VALIDATION_FAILED');
        open311(await raw('/open311/v2/requests/%E0%A4%A.json'), 400);
      });

      test('a path parameter longer than the router takes', async () => {
        platform(await raw(`/api/v1/devices/${'a'.repeat(600)}`), 414, 'URI_TOO_LONG');
        open311(await raw(`/open311/v2/requests/${'1'.repeat(600)}.json`), 414);
      });

      test('a path no route has', async () => {
        platform(await raw('/api/v1/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
        open311(await raw('/open311/v2/no-such-thing.json'), 404);
      });

      test('a malformed JSON body', async () => {
        platform(await raw('/api/v1/auth/login', json('{"email":')), 400, 'INVALID_JSON');
        open311(await raw('/open311/v2/requests.json', json('{"api_key":')), 400);
      });

      test('an unsupported content type', async () => {
        platform(await raw('/api/v1/auth/login', json('email=a', 'text/x-unknown')), 415, 'UNSUPPORTED_MEDIA_TYPE');
        open311(await raw('/open311/v2/requests.json', json('api_key=a', 'text/x-unknown')), 415);
      });

      test('a body larger than the limit', async () => {
        const big = JSON.stringify({ email: 'a@contoh.id', password: 'x'.repeat(server.config.maxPayloadBytes + 10) });
        platform(await raw('/api/v1/auth/login', json(big)), 413, 'PAYLOAD_TOO_LARGE');
        open311(await raw('/open311/v2/requests.json', json(`api_key=${'x'.repeat(70 * 1024)}`, 'application/x-www-form-urlencoded')), 413);
      });

      test('a multipart body that is not multipart (the upload plugin)', async () => {
        const broken = { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: 'not multipart at all' };
        const photo = await raw('/api/v1/photos', broken);
        assert.equal(photo.status, 400, JSON.stringify(photo.body));
        assert.equal(typeof photo.body.error.code, 'string');
        open311(await raw('/open311/v2/requests.json', broken), 400);
      });

      test('a method the route does not take', async () => {
        platform(await raw('/api/v1/health', { method: 'DELETE' }), 404, 'ROUTE_NOT_FOUND');
        open311(await raw('/open311/v2/discovery.json', { method: 'DELETE' }), 404);
      });
    });
  });
}
