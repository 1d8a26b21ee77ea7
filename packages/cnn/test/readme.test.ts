import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as nn from '@plexus/nn';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as cnn from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/nn': nn, '@plexus/cnn': cnn };

describe('README', () => {
  it('the example after <!-- example --> runs and prints 8 positive gradient norms', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url));
    expect(example).not.toBeNull();
    const logs = await runSnippet(example, MODULES);
    expect(logs).toHaveLength(1);
    const [count, ...norms] = logs[0].split(' ');
    expect(count).toBe('8');
    expect(norms).toHaveLength(8);
    for (const n of norms) expect(Number(n)).toBeGreaterThan(0);
  });
});
