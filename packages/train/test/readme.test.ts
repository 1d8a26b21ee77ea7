import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as data from '@plexus/data';
import * as nn from '@plexus/nn';
import * as optim from '@plexus/optim';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as train from '../src/index.js';

const MODULES = {
  '@plexus/backend-js': backendJs,
  '@plexus/tensor': tensorModule,
  '@plexus/nn': nn,
  '@plexus/optim': optim,
  '@plexus/data': data,
  '@plexus/train': train,
};

describe('README', () => {
  it('the example fits two moons and prints a high validation accuracy', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url));
    expect(example).not.toBeNull();
    const logs = await runSnippet(example, MODULES);
    // Early stopping, if it triggers, says so first.
    for (const line of logs.slice(0, -1)) expect(line).toMatch(/^EarlyStopping: valLoss has not improved/);
    const m = /^(\d+) epochs, validation accuracy (0\.\d{3}|1\.000)$/.exec(logs[logs.length - 1]);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0.97);
  });
});
