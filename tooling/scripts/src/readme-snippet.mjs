// Runs a package README's example inside the package's own tests, against the workspace sources:
// its `import` lines become look-ups in a map of modules the test imported, the rest runs as
// written in an async function (top-level await works), and what it logs comes back.
// (check-pack.mjs runs the same examples for real, against the packed packages.)
import { readFileSync } from 'node:fs';
import { extractExample } from './readme-example.mjs';

const AsyncFunction = (async () => {}).constructor;

/**
 * The README's example: the first js/ts block after `<!-- example -->`, or after the line `marker`
 * matches (a RegExp without the g flag); null when there is none.
 */
export function readmeExample(readme, marker) {
  return extractExample(readFileSync(readme, 'utf8'), marker);
}

/** Every ```js block of the README, in order. */
export function readmeBlocks(readme) {
  return [...readFileSync(readme, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * The code with its side-effect (`import 'm';`) and named (`import { a, b as c } from 'm';`) imports
 * turned into `__use('m')` look-ups; any other import is an error here, not a SyntaxError later.
 */
export function rewriteImports(code) {
  const body = code
    .replace(/^import (['"])([^'"]+)\1;/gm, (_, _q, name) => `__use(${JSON.stringify(name)});`)
    .replace(
      /^import \{([^}]+)\} from (['"])([^'"]+)\2;/gm,
      (_, names, _q, name) => `const {${names.replace(/\s+as\s+/g, ': ')}} = __use(${JSON.stringify(name)});`,
    );
  const left = /^[ \t]*import\s.*$/m.exec(body);
  if (left) throw new Error(`runSnippet: cannot rewrite "${left[0].trim()}" (only side-effect and named imports)`);
  return body;
}

/**
 * Runs the code (see rewriteImports); resolves to the arguments of each console.log call. Null
 * code (readmeExample found no block) is an error.
 */
export async function runSnippetCalls(code, modules) {
  if (typeof code !== 'string') throw new Error('runSnippet: no code to run (the README has no such block)');
  const body = rewriteImports(code);
  const use = (name) => {
    if (!Object.hasOwn(modules, name)) throw new Error(`README imports ${name}, which this test does not provide`);
    return modules[name];
  };
  const calls = [];
  const log = console.log;
  console.log = (...args) => void calls.push(args);
  try {
    await new AsyncFunction('__use', body)(use);
  } finally {
    console.log = log;
  }
  return calls;
}

/** Runs the code (see rewriteImports); resolves to its console.log lines (arguments joined by spaces). */
export async function runSnippet(code, modules) {
  return (await runSnippetCalls(code, modules)).map((args) => args.map(String).join(' '));
}
