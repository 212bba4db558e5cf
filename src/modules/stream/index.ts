export { StreamHub, TOPICS, type Filter, type Topic } from './stream.hub.ts';
export { streamRoutes } from './stream.routes.ts';
