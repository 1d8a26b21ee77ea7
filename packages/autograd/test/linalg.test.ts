import { describe, expect, it } from 'vitest';
import { matmul } from '@plexus/tensor';
import { grad } from '../src/index.js';
import { expectClose, expectGradOk, f64, randn64, values } from './helpers.js';

describe('matmul passes gradCheck', () => {
  const cases: [string, number[], number[]][] = [
    ['2-D @ 2-D', [3, 4], [4, 2]],
    ['1-D @ 2-D', [4], [4, 3]],
    ['2-D @ 1-D', [3, 4], [4]],
    ['1-D @ 1-D', [4], [4]],
    ['batched, same batch', [2, 3, 4], [2, 4, 2]],
    ['batched with broadcasting [2,1,3,4] @ [5,4,2]', [2, 1, 3, 4], [5, 4, 2]],
    ['batched @ 2-D', [2, 3, 4], [4, 2]],
    ['rank-4 batched @ 2-D (the batch folds into one product)', [2, 2, 3, 4], [4, 2]],
    ['2-D @ batched', [3, 4], [2, 4, 2]],
    ['1-D @ batched', [4], [2, 4, 3]],
    ['batched @ 1-D', [2, 3, 4], [4]],
  ];
  it.each(cases)('%s', (_, sa, sb) => {
    const [a, b] = randn64(1, sa, sb);
    expectGradOk(matmul, [a, b]);
  });

  it('method form in a chain', () => {
    const [a, b] = randn64(2, [3, 4], [4, 4]);
    expectGradOk((p, q) => p.matmul(q).tanh().matmul(q.t()), [a, b]);
  });

  it('A @ B gradients are G Bᵀ and Aᵀ G', () => {
    const a = f64([[1, 2], [3, 4]]);
    const b = f64([[5, 6], [7, 8]]);
    const [ga, gb] = grad((p: typeof a, q: typeof a) => p.matmul(q).sum(), [0, 1])(a, b);
    // G = ones: G Bᵀ has row sums of B; Aᵀ G has column sums of A.
    expectClose(ga, [11, 15, 11, 15]);
    expectClose(gb, [4, 4, 6, 6]);
  });

  it('an empty batch @ 2-D gives a zero gradient of the shared matrix', () => {
    const [a, b] = randn64(3, [0, 3, 4], [4, 2]);
    const [, gb] = grad((p: typeof a, q: typeof a) => matmul(p, q).sum(), [0, 1])(a, b);
    expect(gb.shape).toEqual([4, 2]);
    expect(values(gb)).toEqual(new Array(8).fill(0));
  });

  it('1-D @ 1-D gradient is the other vector', () => {
    const a = f64([1, 2, 3]);
    const b = f64([4, 5, 6]);
    const [ga, gb] = grad((p: typeof a, q: typeof a) => matmul(p, q), [0, 1])(a, b);
    expect(ga.shape).toEqual([3]);
    expect(values(ga)).toEqual([4, 5, 6]);
    expect(values(gb)).toEqual([1, 2, 3]);
  });
});
