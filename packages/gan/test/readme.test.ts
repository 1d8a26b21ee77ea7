import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as pkg from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/gan': pkg };
const example = readmeExample(new URL('../README.md', import.meta.url)) ?? '';

describe('README', () => {
  it('has a plain-JavaScript example after <!-- example --> that runs', async () => {
    expect(example).not.toBe('');
    expect(example).not.toMatch(/: (number|string|Tensor)\b|\bas [A-Z]/); // no type annotations
    const logs = await runSnippet(example, MODULES);
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(logs[0]).toMatch(/^D \d\.\d{3} G \d\.\d{3} \| D \d\.\d{3} G \d\.\d{3}$/);
    expect(logs[1]).toBe('4,1,8,8');
    expect(logs[2]).toBe('0.6931');
    expect(logs[3]).toBe('10.00 10.00 false');
  });
});
