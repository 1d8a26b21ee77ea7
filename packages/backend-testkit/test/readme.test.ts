import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippetCalls } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as testkit from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/backend-testkit': testkit, '@plexus/tensor': tensorModule };

describe('README', () => {
  it('runs its example and prints "conformance ok"', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url));
    expect(example).not.toMatch(/vitest/);
    const calls = await runSnippetCalls(example, MODULES);
    expect(calls).toContainEqual(['conformance ok']);
  });
});
