import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as rbf from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/rbf': rbf };

describe('README', () => {
  it('the example after <!-- example --> fits sin(2x) closely', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url));
    expect(example).not.toBeNull();
    const logs = await runSnippet(example, MODULES);
    expect(logs).toHaveLength(1);
    const m = /^train RMSE (\S+)$/.exec(logs[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(5e-3);
  });
});
