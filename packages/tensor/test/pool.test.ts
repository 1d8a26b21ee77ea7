import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, avgPool2d, avgPool2dBackward, conv2dWeightGrad, maxPool2d, maxPool2dBackward, tensor } from '@plexus/tensor';
import { expectClose, expectError, lcg } from './helpers.js';

type P2 = [number, number];

/** Direct-loop pooling; padding is -inf for max and 0 (counted) for avg, as in PyTorch. */
function poolRef(kind: 'max' | 'avg', x: number[], [N, C, H, W]: number[], k: P2, s: P2, p: P2) {
  const OH = Math.floor((H + 2 * p[0] - k[0]) / s[0]) + 1;
  const OW = Math.floor((W + 2 * p[1] - k[1]) / s[1]) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let acc = kind === 'max' ? -Infinity : 0;
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++) {
              const hi = i * s[0] - p[0] + a;
              const wi = j * s[1] - p[1] + b;
              const v = hi >= 0 && hi < H && wi >= 0 && wi < W ? x[((n * C + c) * H + hi) * W + wi] : kind === 'max' ? -Infinity : 0;
              acc = kind === 'max' ? Math.max(acc, v) : acc + v;
            }
          out.push(kind === 'max' ? acc : acc / (k[0] * k[1]));
        }
  return { out, shape: [N, C, OH, OW] };
}

const CASES: { xs: number[]; k: P2; s?: P2; p?: P2 }[] = [
  { xs: [2, 3, 6, 6], k: [2, 2] },
  { xs: [1, 2, 7, 5], k: [3, 3], s: [2, 2] },
  { xs: [2, 2, 6, 7], k: [3, 2], s: [1, 2], p: [1, 1] },
  { xs: [1, 1, 5, 5], k: [3, 3], s: [2, 2], p: [1, 1] },
  { xs: [1, 2, 4, 9], k: [4, 5], s: [3, 1], p: [2, 2] },
];

describe('maxPool2d / avgPool2d against direct loops', () => {
  for (const kind of ['max', 'avg'] as const) {
    for (const c of CASES) {
      it(`${kind} k=${c.k} s=${c.s ?? 'k'} p=${c.p ?? 0} on ${c.xs}`, () => {
        const x = lcg(c.xs.reduce((a, b) => a * b), 31);
        const s = c.s ?? c.k;
        const p = c.p ?? [0, 0];
        const ref = poolRef(kind, x, c.xs, c.k, s, p);
        const op = kind === 'max' ? maxPool2d : avgPool2d;
        const y = op(tensor(x, c.xs, { dtype: 'float64' }), c.k, { stride: c.s, padding: c.p });
        expect(y.dtype).toBe('float64');
        expectClose(y, ref.out, { shape: ref.shape, atol: 1e-12 });
      });
    }
  }
  it('number arguments and unbatched input', () => {
    const x = lcg(2 * 5 * 5, 4);
    const ref = poolRef('max', x, [1, 2, 5, 5], [3, 3], [2, 2], [1, 1]);
    expectClose(maxPool2d(tensor(x, [2, 5, 5]), 3, { stride: 2, padding: 1 }), ref.out, { shape: [2, 3, 3] });
    const refA = poolRef('avg', x, [1, 2, 5, 5], [2, 2], [2, 2], [0, 0]);
    expectClose(avgPool2d(tensor(x, [2, 5, 5]), 2), refA.out, { shape: [2, 2, 2] });
  });
  it('dtypes: max keeps int32 (padding never wins); avg of int gives float32', () => {
    const x = tensor([-5, -6, -7, -8], [1, 1, 2, 2], { dtype: 'int32' });
    const m = maxPool2d(x, 2, { stride: 1, padding: 1 });
    expect(m.dtype).toBe('int32');
    expect(m.toArraySync()).toEqual([[[[-5, -5, -6], [-5, -5, -6], [-7, -7, -8]]]]);
    const a = avgPool2d(tensor([1, 2, 3, 4], [1, 1, 2, 2], { dtype: 'int32' }), 2);
    expect(a.dtype).toBe('float32');
    expect(a.toArraySync()).toEqual([[[[2.5]]]]);
  });
  it('errors name the op', () => {
    expectError(() => maxPool2d(tensor([1, 2]), 2), ShapeError, 'maxPool2d: expected input [N, C, H, W] or [C, H, W], got [2]');
    expectError(() => avgPool2d(tensor(lcg(4), [1, 1, 2, 2]), 3), ShapeError, 'avgPool2d: kernel [3,3] is larger than the padded input [1,1,2,2]');
    expectError(() => maxPool2d(tensor(lcg(16), [1, 1, 4, 4]), 2, { padding: 2 }), ArgumentError, 'maxPool2d: padding [2,2] must be at most half the kernel [2,2]');
    expectError(() => avgPool2d(tensor(lcg(16), [1, 1, 4, 4]), 0), ArgumentError, 'avgPool2d: kernel must be an integer >= 1, got 0');
    expectError(() => maxPool2d(tensor(lcg(16), [1, 1, 4, 4]), 2, { stride: 0 }), ArgumentError, 'maxPool2d: stride');
  });
});

describe('the backward ops of conv2d and the pools, by hand', () => {
  it('maxPool2dBackward routes each window gradient to its max, shared among ties', () => {
    const x = tensor([1, 4, 2, 2, 3, 0, 2, 2, 5, 5, 0, 1, 5, 5, 0, 7], [1, 1, 4, 4]);
    const g = tensor([10, 20, 30, 40], [1, 1, 2, 2]);
    expect(maxPool2dBackward(x, g, 2).toArraySync()).toEqual([[[[0, 10, 5, 5], [0, 0, 5, 5], [7.5, 7.5, 0, 0], [7.5, 7.5, 0, 40]]]]);
    // Overlapping windows (stride 1) add up: the centre 9 is the max of all four.
    const y = tensor([1, 2, 3, 4, 9, 5, 6, 7, 8], [1, 3, 3]);
    expect(maxPool2dBackward(y, tensor([1, 2, 3, 4], [1, 2, 2]), 2, { stride: 1 }).toArraySync()).toEqual([[[0, 0, 0], [0, 10, 0], [0, 0, 0]]]);
  });
  it('avgPool2dBackward spreads g / area over each window, padding dropped', () => {
    const g = tensor([4, 8, 12, 16], [1, 1, 2, 2]);
    expect(avgPool2dBackward(g, [1, 1, 4, 4], 2).toArraySync()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
    // kernel 2, padding 1 on 2x2: four windows each holding one real element.
    expect(avgPool2dBackward(g, [1, 2, 2], 2, { padding: 1 }).toArraySync()).toEqual([[[1, 2], [3, 4]]]);
  });
  it('conv2dWeightGrad sums input windows times the output gradient over the batch', () => {
    // dW[i][j] = sum over n, oh, ow of g[n, oh, ow] · x[n, oh + i, ow + j].
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 1, 3, 3]);
    const g = tensor([1, 0, 0, 1, 2, 2, 2, 2], [2, 1, 2, 2]);
    expect(conv2dWeightGrad(x, g, 2).toArraySync()).toEqual([[[[1 + 5 + 8, 2 + 6 + 8], [4 + 8 + 8, 5 + 9 + 8]]]]);
  });
  it('errors name the op', () => {
    const x = tensor(lcg(16), [1, 1, 4, 4]);
    expectError(() => maxPool2dBackward(x, tensor(lcg(9), [1, 1, 3, 3]), 2), ShapeError, 'maxPool2dBackward: gradOutput must have the pooled shape [1,1,2,2], got [1,1,3,3]');
    expectError(() => avgPool2dBackward(tensor(lcg(4), [1, 1, 2, 2]), [4, 4], 2), ShapeError, 'avgPool2dBackward: inputShape must be [N, C, H, W] or [C, H, W], got [4,4]');
    expectError(() => conv2dWeightGrad(x, tensor(lcg(32), [1, 2, 4, 4]), 3), ShapeError, 'conv2dWeightGrad: gradOutput [1,2,4,4] does not fit a [3,3] convolution of [1,1,4,4] (output [2,2])');
    expectError(() => conv2dWeightGrad(x, tensor(lcg(16), [4, 4]), 3), ShapeError, 'conv2dWeightGrad: input [1,1,4,4] and gradOutput [4,4] must both be batched or both not');
    const xi = tensor([1, 2, 3, 4], [1, 1, 2, 2], { dtype: 'int32' });
    expectError(() => conv2dWeightGrad(xi, tensor([1], [1, 1, 1, 1], { dtype: 'int32' }), 2), DTypeError, 'conv2dWeightGrad: expected float32 or float64 inputs, got int32');
  });
});
