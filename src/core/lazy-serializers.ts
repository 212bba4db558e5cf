import { createRequire } from 'node:module';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/** Fastify's own response serializer factory (fast-json-stringify), as Fastify resolves it. */
const { SerializerSelector } = createRequire(import.meta.resolve('fastify'))('@fastify/fast-json-stringify-compiler') as typeof import('@fastify/fast-json-stringify-compiler');

/**
 * Fastify's response serializers, each compiled when its route first answers
 * instead of all at start. Compiled up front, the serializers of every route's
 * responses (their generated source and code, some MB) sit in an idle server,
 * most of them for routes it never serves. Same output as Fastify's default.
 */
export function lazyResponseSerializers(): SerializerFactory {
  const factory = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc) => (serialize ??= compile(route))(doc);
    };
  };
}
