import { describe, expect, it } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { manualSeed, randn } from '@plexus/tensor';
import { readmeExample, runSnippet } from '../../../tooling/scripts/src/readme-snippet.mjs';
import * as autograd from '../src/index.js';
import { grad, gradCheck } from '../src/index.js';

const MODULES = {
  '@plexus/backend-js': backendJs,
  '@plexus/tensor': tensorModule,
  '@plexus/autograd': autograd,
};

describe('README', () => {
  it('readme example', () => {
    manualSeed(0);
    const x = randn([4, 3], { requiresGrad: true });
    const y = x.tanh().matmul(randn([3, 2])).sum();
    y.backward();
    expect(x.grad?.shape).toEqual([4, 3]);
    const d2 = grad((t) => grad((u) => u.sin().sum())(t).sum())(x);
    const expected = (x.toArraySync() as number[][]).map((r) => r.map((v) => -Math.sin(v)));
    const got = d2.toArraySync() as number[][];
    got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
  });

  it('gradcheck of matmul, tanh, softmax', () => {
    manualSeed(1);
    const a = randn([3, 4], { dtype: 'float64' });
    const b = randn([4, 2], { dtype: 'float64' });
    const r = gradCheck((p, q) => p.matmul(q).tanh().softmax(-1), [a, b]);
    expect(r.message).toBe('ok');
  });

  it("the package README's example runs as written", async () => {
    const logs = await runSnippet(readmeExample(new URL('../README.md', import.meta.url)), MODULES);
    expect(logs).toEqual(['4,3 4,3', 'gradCheck ok']);
  });

  it("the repository README's example runs as written", async () => {
    const example = readmeExample(new URL('../../../README.md', import.meta.url), /^## Using Plexus$/);
    await expect(runSnippet(example, MODULES)).resolves.toBeDefined();
  });
});
