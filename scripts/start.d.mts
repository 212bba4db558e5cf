/** The entry `npm start` runs: dist/main.js, built first when stale; src/main.ts when it cannot be built. */
export function serverEntry(): string;
