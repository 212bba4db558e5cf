/** Folds `<dist>/main.js` into `<dist>/bundle/`; the entry to run, or null without the bundler or when it fails. */
export function bundleServer(root: string, dist: string): Promise<string | null>;
/** The code with every character past ASCII written as a `\uXXXX` escape. */
export function asciiOnly(code: string): string;
/** The module the bundle gives for an import statement of a built-in (`node:http`): Node's own module, without its ES module facade. */
export function builtinWithoutFacade(id: string): string;
/** The code of a library's file with the bundle's changes to it; throws when a change's text is missing. */
export function changeLibrary(code: string, file: string): string;
