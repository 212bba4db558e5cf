/** The entry `npm start` runs: dist/bundle/main.js (dist/main.js without the bundler), built first when stale; src/main.ts when it cannot be built. */
export function serverEntry(): string;
/** V8 flags of the server process that `npm start` runs (a flag given in NODE_OPTIONS or on the command line wins). */
export const SERVER_NODE_FLAGS: readonly string[];
/** Environment variables of the server process that `npm start` runs (a variable already set wins). */
export const SERVER_ENV: Readonly<Record<string, string>>;
