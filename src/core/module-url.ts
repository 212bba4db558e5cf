/**
 * The URL of a module beside the caller, named without its extension: `.ts`
 * when the caller runs from the sources (tests, `node src/main.ts`), `.js` when
 * it runs from the build that `npm start` makes (dist/). For worker threads and
 * parser tasks, which load a module by URL where no import can be rewritten.
 *
 *   new Worker(siblingModule('./export.worker', import.meta.url))
 */
export function siblingModule(relative: string, callerUrl: string): URL {
  return new URL(`${relative}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
