import { describe, expect, it } from 'vitest';
import * as autograd from '@plexus/autograd';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { readmeBlocks, readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as nn from '../src/index.js';

const MODULES = {
  '@plexus/backend-js': backendJs,
  '@plexus/tensor': tensorModule,
  '@plexus/autograd': autograd,
  '@plexus/nn': nn,
};

const README = new URL('../README.md', import.meta.url);
const blocks = readmeBlocks(README);

describe('README', () => {
  it('the example after <!-- example --> runs and prints the loss and the parameter count', async () => {
    const example = readmeExample(README);
    expect(example).not.toBeNull();
    expect(example!.trim().split('\n').length).toBeLessThanOrEqual(11);
    const logs = await runSnippet(example, MODULES);
    expect(logs).toHaveLength(1);
    const [loss, count] = logs[0].split(' ');
    // Three classes at initialisation: the loss is near log 3.
    expect(Math.abs(Number(loss) - Math.log(3))).toBeLessThan(0.5);
    expect(Number(count)).toBe(4 * 16 + 16 + 16 * 3 + 3);
  });

  it('the custom Module example defines a working model', async () => {
    const logs = await runSnippet(
      "const { Module, ModuleList, Linear, LayerNorm, Dropout } = __use('@plexus/nn');\n" +
        `${blocks[1]}\nconst m = new MLP();\nconsole.log(m.namedParameters().map(([n]) => n).join(','), m.forward(__use('@plexus/tensor').zeros([2, 784])).shape.join('x'));`,
      MODULES,
    );
    expect(logs).toEqual(['hidden.0.weight,hidden.0.bias,hidden.1.weight,hidden.1.bias,norm.weight,norm.bias,head.weight,head.bias 2x10']);
  });
});
