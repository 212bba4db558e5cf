export { StreamHub, type Filter } from './stream.hub.ts';
export { StreamClientMessage, StreamServerMessage, TOPICS, type Topic } from './stream.contract.ts';
export { chooseProtocol, streamRoutes, STREAM_PROTOCOL, BEARER_PROTOCOL_PREFIX } from './stream.routes.ts';
export { streamModule } from './stream.module.ts';
