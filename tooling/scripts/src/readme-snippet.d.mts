// Types of readme-snippet.mjs, for the packages' TypeScript tests that import it.

/** Module namespaces, by the name the README imports them with ('@plexus/tensor'). */
export type SnippetModules = Readonly<Record<string, unknown>>;

/**
 * The README's example: the first js/ts block after `<!-- example -->`, or after the line `marker`
 * matches (a RegExp without the g flag); null when there is none.
 */
export function readmeExample(readme: string | URL, marker?: RegExp): string | null;

/** Every ```js block of the README, in order. */
export function readmeBlocks(readme: string | URL): string[];

/** The code with its side-effect and named imports turned into `__use('m')` look-ups; other imports throw. */
export function rewriteImports(code: string): string;

/**
 * Runs the code (imports resolved in `modules`, top-level await allowed); resolves to the arguments
 * of each console.log call. Null code (readmeExample found no block) is an error.
 */
export function runSnippetCalls(code: string | null, modules: SnippetModules): Promise<unknown[][]>;

/** Like runSnippetCalls; resolves to the console.log lines (arguments joined by spaces). */
export function runSnippet(code: string | null, modules: SnippetModules): Promise<string[]>;
