import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as data from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The JS code blocks of the README, in order. */
function blocks(): string[] {
  return [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Runs a README block as written, with its imports resolved to the workspace modules. */
function run(code: string): string[] {
  const modules: Record<string, unknown> = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/data': data };
  const body = code
    .replace(/^import '([^']+)';$/gm, (_, m: string) => `__use(${JSON.stringify(m)});`)
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names: string, m: string) => `const {${names}} = __use(${JSON.stringify(m)});`);
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
  });
  try {
    new Function('__use', body)((m: string) => {
      if (!(m in modules)) throw new Error(`README imports ${m}, which this test does not provide`);
      return modules[m];
    });
  } finally {
    spy.mockRestore();
  }
  return logs;
}

describe('README', () => {
  const saved = process.env.PLEXUS_CACHE_DIR;
  beforeEach(() => {
    process.env.PLEXUS_CACHE_DIR = tempDir('plexus-readme-');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PLEXUS_CACHE_DIR;
    else process.env.PLEXUS_CACHE_DIR = saved;
  });

  it('the <!-- example --> block comes first and prints the first batch shape', () => {
    expect(readme.indexOf('<!-- example -->')).toBeLessThan(readme.indexOf('```js'));
    expect(run(blocks()[0])).toEqual(['63 batches per epoch, 1000 validation images', 'first batch 128,1,28,28 128 int32 augmented 128,1,28,28']);
  });

  it('the tabular example runs', () => {
    const logs = run(blocks()[1]);
    expect(logs[0]).toMatch(/^350,2 50,2 100,2 \{"kind":"Standardize"/);
  });
});
