export type { EventBus, Handler } from './bus.js';
export { InProcessBus } from './in-process.js';
