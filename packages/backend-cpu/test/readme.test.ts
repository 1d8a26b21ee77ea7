import { describe, expect, it } from 'vitest';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippetCalls } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as backendCpu from '../src/index.js';

const MODULES = { '@plexus/backend-cpu': backendCpu, '@plexus/tensor': tensorModule };

describe('README', () => {
  it('runs its example and prints what its comments say', async () => {
    const calls = await runSnippetCalls(readmeExample(new URL('../README.md', import.meta.url)), MODULES);
    expect(calls).toEqual([['cpu'], [[[18, 24], [40, 54]]], [136], [true]]);
  });
});
