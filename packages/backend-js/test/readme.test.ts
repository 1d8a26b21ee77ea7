import { describe, expect, it } from 'vitest';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippetCalls } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as backendJs from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule };

describe('README', () => {
  it('runs its example and prints what its comments say', async () => {
    const calls = await runSnippetCalls(readmeExample(new URL('../README.md', import.meta.url)), MODULES);
    expect(calls).toEqual([[[[20, 23], [44, 51]]], [138]]);
  });
});
