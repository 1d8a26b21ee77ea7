import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as nn from '@plexus/nn';
import * as optim from '@plexus/optim';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as rnn from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/nn': nn, '@plexus/optim': optim, '@plexus/rnn': rnn };

describe('README', () => {
  it('the example trains a GRU on the adding problem: the MSE falls well below the always-1.0 level', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url));
    expect(example).not.toBeNull();
    const logs = await runSnippet(example, MODULES);
    expect(logs).toHaveLength(4);
    const mse = logs.map((l) => Number(/MSE ([0-9.]+)/.exec(l)?.[1]));
    expect(mse[0]).toBeGreaterThan(0.05);
    expect(mse[3]).toBeLessThan(0.02);
  });
});
