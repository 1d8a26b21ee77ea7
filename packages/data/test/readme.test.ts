import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeBlocks, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as data from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/data': data };
const README = new URL('../README.md', import.meta.url);
const readme = readFileSync(README, 'utf8');
const blocks = readmeBlocks(README);

describe('README', () => {
  const saved = process.env.PLEXUS_CACHE_DIR;
  beforeEach(() => {
    process.env.PLEXUS_CACHE_DIR = tempDir('plexus-readme-');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PLEXUS_CACHE_DIR;
    else process.env.PLEXUS_CACHE_DIR = saved;
  });

  it('the <!-- example --> block comes first and prints the first batch shape', async () => {
    expect(readme.indexOf('<!-- example -->')).toBeLessThan(readme.indexOf('```js'));
    expect(await runSnippet(blocks[0], MODULES)).toEqual(['63 batches per epoch, 1000 validation images', 'first batch 128,1,28,28 128 int32 augmented 128,1,28,28']);
  });

  it('the tabular example runs', async () => {
    const logs = await runSnippet(blocks[1], MODULES);
    expect(logs[0]).toMatch(/^350,2 50,2 100,2 \{"kind":"Standardize"/);
  });
});
