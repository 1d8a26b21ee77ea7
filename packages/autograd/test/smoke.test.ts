import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import { manualSeed, randn, tensor } from '@plexus/tensor';
import { grad, gradCheck } from '../src/index.js';

describe('smoke', () => {
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
  it('gradcheck', () => {
    const a = randn([3, 4], { dtype: 'float64' });
    const b = randn([4, 2], { dtype: 'float64' });
    const r = gradCheck((p, q) => p.matmul(q).tanh().softmax(-1), [a, b]);
    expect(r.message).toBe('ok');
    console.log(tensor([[1, 2], [3, 4]]).toString());
  });
});
