export { StreamHub, TOPICS, type Filter, type Topic } from './stream.hub.js';
export { streamRoutes } from './stream.routes.js';
