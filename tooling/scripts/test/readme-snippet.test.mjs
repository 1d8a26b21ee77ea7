import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeBlocks, readmeExample, rewriteImports, runSnippet, runSnippetCalls } from '../src/readme-snippet.mjs';

const dir = mkdtempSync(join(tmpdir(), 'plexus-readme-snippet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readmeExample and readmeBlocks', () => {
  it('read the marked example, a block after another marker, and every js block', () => {
    const file = join(dir, 'README.md');
    writeFileSync(file, ['# pkg', '```js', 'first()', '```', '## Usage', '', '```ts', 'usage()', '```', '<!-- example -->', '```js', 'example()', '```', ''].join('\n'));
    expect(readmeExample(file)).toBe('example()\n');
    expect(readmeExample(file, /^## Usage$/)).toBe('usage()\n');
    expect(readmeExample(file, /^## Nothing$/)).toBeNull();
    expect(readmeBlocks(file)).toEqual(['first()\n', 'example()\n']);
  });
});

describe('rewriteImports', () => {
  it('turns side-effect and named imports into look-ups, trailing comments kept', () => {
    const code = ["import '@plexus/backend-js'; // registers js", 'import { a, b as c } from "@plexus/x";', 'a(c);'].join('\n');
    expect(rewriteImports(code)).toBe(['__use("@plexus/backend-js"); // registers js', 'const { a, b: c } = __use("@plexus/x");', 'a(c);'].join('\n'));
  });

  it('rejects the imports it cannot rewrite', () => {
    expect(() => rewriteImports("import x from 'm';")).toThrow(/cannot rewrite "import x from 'm';"/);
    expect(() => rewriteImports("import * as m from 'm';")).toThrow(/cannot rewrite "import \* as m from 'm';"/);
    expect(rewriteImports("import {\n  a,\n} from 'm';")).toBe('const {\n  a,\n} = __use("m");');
    expect(rewriteImports("const m = await import('m');")).toBe("const m = await import('m');");
  });
});

describe('runSnippet', () => {
  const modules = { m: { twice: (x) => 2 * x } };

  it('runs the code with top-level await and returns what it logged', async () => {
    const code = "import { twice } from 'm';\nconsole.log(twice(2), [1, 2]);\nconsole.log(await Promise.resolve('later'));\n";
    expect(await runSnippetCalls(code, modules)).toEqual([[4, [1, 2]], ['later']]);
    expect(await runSnippet(code, modules)).toEqual(['4 1,2', 'later']);
  });

  it('rejects an import the test does not provide, and restores console.log when the code throws', async () => {
    const log = console.log;
    await expect(runSnippet(null, modules)).rejects.toThrow('runSnippet: no code to run');
    await expect(runSnippet("import { y } from 'other';", modules)).rejects.toThrow('README imports other, which this test does not provide');
    await expect(runSnippet("console.log('x');\nthrow new Error('boom');", modules)).rejects.toThrow('boom');
    expect(console.log).toBe(log);
  });
});
