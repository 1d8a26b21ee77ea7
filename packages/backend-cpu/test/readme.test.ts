import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The README's runnable block: the first ```js fence after `<!-- example -->`. */
function example(): string {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const m = /<!-- example -->\s*\n```js\n([\s\S]*?)\n```/.exec(readme);
  if (!m) throw new Error('README.md has no <!-- example --> block');
  return m[1];
}

describe('README', () => {
  it('runs its example and prints what its comments say', async () => {
    // The packages it imports, as source files (the same modules the tests use).
    const source = (name: string) =>
      pathToFileURL(realpathSync(join(pkg, name === '@plexus/backend-cpu' ? 'src/index.ts' : `node_modules/${name}/src/index.ts`))).href;
    const code = example().replace(/from '(@plexus\/[a-z-]+)'/g, (_, name: string) => `from '${source(name)}'`);
    const dir = mkdtempSync(join(tmpdir(), 'plexus-cpu-readme-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, code);
      await import(/* @vite-ignore */ pathToFileURL(file).href);
      expect(log.mock.calls).toEqual([['cpu'], [[[18, 24], [40, 54]]], [136], [true]]);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
