import { createRequire } from 'node:module';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/** Fastify's own response serializer factory (fast-json-stringify), as Fastify resolves it. */
const { SerializerSelector } = createRequire(import.meta.resolve('fastify'))('@fastify/fast-json-stringify-compiler') as typeof import('@fastify/fast-json-stringify-compiler');

/**
 * Fastify's response serializers, each compiled when its route first answers
 * instead of all at start. Compiled up front, the serializers of every route's
 * responses (their generated source and code, some MB) sit in an idle server,
 * most of them for routes it never serves. Same output as Fastify's default.
 *
 * A serializer is kept by its schema object (a module's constant) for every server of the
 * process with the same shared schemas and options: a test file starts dozens of servers,
 * and compiling is most of what a first answer costs.
 */
export function lazyResponseSerializers(): SerializerFactory {
  const factory = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    const key = JSON.stringify([externalSchemas ?? null, options ?? null]);
    let known = serializersByContext.get(key);
    if (!known) serializersByContext.set(key, (known = new WeakMap()));
    const compiled = known;
    return (route) => {
      let serialize: Serialize | undefined;
      return (doc) => {
        if (!serialize) {
          const schema = route.schema as object;
          serialize = compiled.get(schema);
          if (!serialize) compiled.set(schema, (serialize = compile(route)));
        }
        return serialize(doc);
      };
    };
  };
}

type Serialize = (doc: unknown) => string;
/** Compiled serializers by shared schemas and options (as JSON), then by route schema. */
const serializersByContext = new Map<string, WeakMap<object, Serialize>>();
