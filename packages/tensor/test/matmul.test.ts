import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, matmul, tensor, zeros } from '@plexus/tensor';
import { expectClose, expectError, lcg, values } from './helpers.js';

/** Naive triple loop on row-major data: a [m, k] @ b [k, n]. */
function naive(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  return out;
}

describe('matmul', () => {
  it('2-D against a naive loop, several sizes, float64 and float32', () => {
    for (const [m, k, n] of [[1, 1, 1], [2, 3, 4], [5, 7, 3], [17, 33, 9], [64, 65, 66]]) {
      const a = lcg(m * k, m + 1);
      const b = lcg(k * n, n + 7);
      const want = naive(a, b, m, k, n);
      const y = matmul(tensor(a, [m, k], { dtype: 'float64' }), tensor(b, [k, n], { dtype: 'float64' }));
      expect(y.dtype).toBe('float64');
      expectClose(y, want, { shape: [m, n], atol: 1e-12, rtol: 1e-12 });
      const a32 = a.map(Math.fround);
      const b32 = b.map(Math.fround);
      expectClose(matmul(tensor(a, [m, k]), tensor(b, [k, n])), naive(a32, b32, m, k, n), { shape: [m, n], atol: 1e-5, rtol: 1e-5 });
    }
  });
  it('method form; int32 stays int32; int @ float promotes', () => {
    const a = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    const y = a.matmul(a);
    expect(y.dtype).toBe('int32');
    expect(y.toArraySync()).toEqual([[7, 10], [15, 22]]);
    expect(matmul(a, tensor([[0.5], [1]])).dtype).toBe('float32');
    expect(values(matmul(a, tensor([[0.5], [1]])))).toEqual([2.5, 5.5]);
  });
  it('1-D operands follow PyTorch', () => {
    const v = tensor([1, 2, 3]);
    const m = tensor([[1, 0], [0, 1], [1, 1]]);
    const dot = matmul(v, v);
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(14);
    const vm = matmul(v, m);
    expect(vm.shape).toEqual([2]);
    expect(values(vm)).toEqual([4, 5]);
    const mv = matmul(tensor([[1, 2, 3], [4, 5, 6]]), v);
    expect(mv.shape).toEqual([2]);
    expect(values(mv)).toEqual([14, 32]);
    // Batched matrix @ vector and vector @ batched matrix.
    const bm = tensor(lcg(24, 2), [4, 2, 3]);
    expect(matmul(bm, v).shape).toEqual([4, 2]);
    expect(matmul(tensor([1, 1]), bm).shape).toEqual([4, 3]);
    expectClose(matmul(tensor([1, 1]), bm).slice(0, 0, 1).reshape([3]), values(bm.slice(0, 0, 1).sum(1).reshape([3])), { atol: 1e-6 });
  });
  it('batch dims broadcast', () => {
    const A = lcg(2 * 1 * 3 * 4, 5);
    const B = lcg(5 * 4 * 2, 6);
    const y = matmul(tensor(A, [2, 1, 3, 4], { dtype: 'float64' }), tensor(B, [5, 4, 2], { dtype: 'float64' }));
    expect(y.shape).toEqual([2, 5, 3, 2]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 5; j++) want.push(...naive(A.slice(i * 12, i * 12 + 12), B.slice(j * 8, j * 8 + 8), 3, 4, 2));
    expectClose(y, want, { atol: 1e-12 });
    // A 2-D matrix broadcasts against a batch.
    const z = matmul(tensor(B, [5, 4, 2]).transpose(), tensor([[1], [2], [3], [4]]));
    expect(z.shape).toEqual([5, 2, 1]);
  });
  it('empty inner or outer dims', () => {
    expect(values(matmul(zeros([2, 0]), zeros([0, 3])))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(zeros([0, 4]), zeros([4, 3])).shape).toEqual([0, 3]);
  });
  it('errors', () => {
    const e = expectError(() => matmul(zeros([4, 3]), zeros([2, 5])), ShapeError);
    expect(e.message).toBe('matmul: inner dimensions differ: [4,3] @ [2,5]');
    expectError(() => matmul(zeros([3]), zeros([4])), ShapeError, 'matmul: inner dimensions differ: [3] @ [4]');
    expectError(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 1])), ShapeError, 'matmul: shapes [2] and [3] cannot be broadcast');
    expectError(() => matmul(tensor(1), zeros([1])), ShapeError, 'matmul: both operands need at least one dimension');
    expectError(() => matmul(tensor([[true]]), tensor([[true]])), DTypeError, 'matmul: bool operands are not supported');
  });
});
