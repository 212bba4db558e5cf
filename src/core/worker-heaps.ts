import v8 from 'node:v8';

/** The young generation worker threads are given: what they had before the server's own was raised. */
const WORKER_SEMI_SPACE_MB = 1;

/**
 * `npm start` lets the server's own young generation grow to 2 × 8 MB
 * (scripts/start.mjs). V8 reads --max-semi-space-size again for every isolate
 * made later, and it wins over a worker's `resourceLimits`: every worker thread
 * (the password checker, the file parsers, the document export) would get as
 * much. Set back once the server's heap exists, the flag gives workers
 * WORKER_SEMI_SPACE_MB again. Nothing changes where the flag was not raised.
 */
export function keepWorkerYoungGenerations(execArgv: readonly string[] = process.execArgv): boolean {
  const given = execArgv.map((arg) => /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(arg)?.[1]).find((mb) => mb !== undefined);
  if (given === undefined || Number(given) <= WORKER_SEMI_SPACE_MB) return false;
  v8.setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  return true;
}
