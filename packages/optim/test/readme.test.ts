import { describe, expect, it } from 'vitest';
import * as autograd from '@plexus/autograd';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as optim from '../src/index.js';

const MODULES = {
  '@plexus/backend-js': backendJs,
  '@plexus/tensor': tensorModule,
  '@plexus/autograd': autograd,
  '@plexus/optim': optim,
};

describe('README', () => {
  it('the example runs as written and learns y = 3x + 2', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url));
    expect(await runSnippet(example, MODULES)).toEqual(['w = 3.000, b = 2.000']);
  });
});
