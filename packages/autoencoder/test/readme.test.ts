import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as pkg from '../src/index.js';

const MODULES = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/autoencoder': pkg };
const example = readmeExample(new URL('../README.md', import.meta.url)) ?? '';

describe('README', () => {
  it('has a plain-JavaScript example after <!-- example --> that runs', async () => {
    expect(example).not.toBe('');
    expect(example).not.toMatch(/: (number|string|Tensor)\b|\bas [A-Z]/); // no type annotations
    const logs = await runSnippet(example, MODULES);
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(logs[0]).toMatch(/^denoising AE loss by epoch: (\d\.\d{4} ){4}\d\.\d{4}$/);
    const losses = logs[0].split(': ')[1].split(' ').map(Number);
    expect(losses[4]).toBeLessThan(losses[0]);
    expect(logs[1]).toMatch(/^VAE loss \d+\.\d\d = reconstruction \d+\.\d\d \+ KL \d\.\d{3}$/);
    expect(logs[2]).toMatch(/^ROC-AUC of the errors for the first 8 images: [01]\.\d{3}$/);
  });
});
