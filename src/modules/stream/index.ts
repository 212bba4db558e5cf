export { StreamHub, TOPICS, type Filter, type Topic } from './stream.hub.ts';
export { chooseProtocol, streamRoutes, STREAM_PROTOCOL, BEARER_PROTOCOL_PREFIX } from './stream.routes.ts';
export { streamModule } from './stream.module.ts';
