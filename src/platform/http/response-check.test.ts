import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { FileResponse, NoBody } from '../../core/http-schemas.ts';
import { installResponseCheck, type ResponseMismatch } from './response-check.ts';

/** A small app whose routes answer what their schema says, or not. */
async function appWith(found: ResponseMismatch[]) {
  const app = Fastify();
  app.addSchema(Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) }, { $id: 'Error' }));
  installResponseCheck(app, (m) => found.push(m));
  const Thing = Type.Object({ name: Type.String(), state: Type.Union([Type.Literal('open'), Type.Literal('closed')]) });
  const response = { 200: Thing, 404: Type.Ref('Error') };
  app.get('/good', { schema: { response } }, async () => ({ name: 'pompa', state: 'open' }));
  // Sent as a string so that the serializer cannot drop or coerce what the schema refuses.
  app.get('/null-state', { schema: { response } }, async (_request, reply) => reply.type('application/json').send(JSON.stringify({ name: 'pompa', state: null })));
  app.get('/teapot', { schema: { response } }, async () => {
    throw Object.assign(new Error("I'm a teapot"), { statusCode: 418 });
  });
  app.get('/csv', { schema: { response } }, async (_request, reply) => reply.type('text/csv').send('a,b\n'));
  app.get('/csv-documented', { schema: { response: { 200: FileResponse('a CSV', ['text/csv']) } } }, async (_request, reply) => reply.type('text/csv').send('a,b\n'));
  app.get('/missing', { schema: { response } }, async (_request, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'none' } }));
  app.post('/empty', { schema: { response: { 200: NoBody('nothing') } } }, async (_request, reply) => reply.send());
  app.post('/empty-but-sent', { schema: { response: { 200: NoBody('nothing') } } }, async (_request, reply) => reply.type('text/plain').send('oops'));
  app.get('/hidden', { schema: { hide: true } }, async (_request, reply) => reply.code(418).send('x'));
  return app;
}

test('the response check reports every answer the document does not describe, and nothing else', async () => {
  const found: ResponseMismatch[] = [];
  const app = await appWith(found);
  const problemOf = async (method: 'GET' | 'POST', url: string) => {
    const before = found.length;
    await app.inject({ method, url });
    return found.slice(before).map((m) => `${m.status} ${m.problem}`);
  };
  assert.deepEqual(await problemOf('GET', '/good'), []);
  assert.deepEqual(await problemOf('GET', '/missing'), []);
  assert.deepEqual(await problemOf('GET', '/csv-documented'), []);
  assert.deepEqual(await problemOf('POST', '/empty'), []);
  assert.deepEqual(await problemOf('GET', '/hidden'), []);
  assert.deepEqual(await problemOf('GET', '/no-such-route'), [], 'the not-found handler is not a route');
  const nullState = await problemOf('GET', '/null-state');
  assert.equal(nullState.length, 1);
  assert.match(nullState[0]!, /^200 the body does not match: \/state/);
  assert.deepEqual(await problemOf('GET', '/teapot'), ['418 status 418 is not documented']);
  assert.deepEqual(await problemOf('GET', '/csv'), ['200 sent text/csv, documented application/json']);
  assert.deepEqual(await problemOf('POST', '/empty-but-sent'), ['200 documented without a body, sent one']);
  assert.equal(found[0]!.route, '/null-state');
  await app.close();
});
