import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, arange, manualSeed, randn } from '@plexus/tensor';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../src/index.js';
import { expectClose, expectInputGradOk, randn64, values } from './helpers.js';

/** 0..15 as [1, 1, 4, 4]. */
const grid = (): Tensor => arange(16).cast('float64').reshape([1, 1, 4, 4]);

describe('MaxPool2d and AvgPool2d', () => {
  it('compute window maxima and means', () => {
    expect(values(new MaxPool2d(2).forward(grid()))).toEqual([5, 7, 13, 15]);
    expect(values(new AvgPool2d(2).forward(grid()))).toEqual([2.5, 4.5, 10.5, 12.5]);
    // 3x3 windows with stride 1: max is the bottom-right corner.
    expect(values(new MaxPool2d(3, { stride: 1 }).forward(grid()))).toEqual([10, 11, 14, 15]);
    // padding 1: the corner window of AvgPool2d holds 0,1,4,5 and five zeros (countIncludePad).
    const avg = new AvgPool2d(3, { stride: 2, padding: 1 }).forward(grid());
    expect(avg.shape).toEqual([1, 1, 2, 2]);
    expect(values(avg)[0]).toBeCloseTo((0 + 1 + 4 + 5) / 9, 12);
    // Windows at rows/cols -1..1 and 1..3 of −grid: the maxima are −0, −1, −4, −5 (padding is −∞).
    expect(values(new MaxPool2d(3, { stride: 2, padding: 1 }).forward(grid().neg()))).toEqual([-0, -1, -4, -5]);
  });

  it('pass gradCheck in float64', () => {
    const x = randn64(1, [1, 2, 5, 5]);
    const max = new MaxPool2d(2, { stride: 1 });
    const avg = new AvgPool2d([2, 3], { stride: [1, 2], padding: [1, 1] });
    expectInputGradOk((t) => max.forward(t), [x]);
    expectInputGradOk((t) => avg.forward(t), [x]);
  });

  it('reject bad shapes and arguments', () => {
    expect(() => new MaxPool2d(2).forward(randn([4, 4]))).toThrow('MaxPool2d: expected input [N, C, H, W] or [C, H, W], got [4,4]');
    expect(() => new AvgPool2d(2, { padding: 2 })).toThrow(/at most half the kernel/);
    expect(() => new MaxPool2d(0)).toThrow(ArgumentError);
  });
});

/** The bins by the formula, with explicit loops: the reference. */
function naiveAdaptive(x: Tensor, oH: number, oW: number): number[] {
  const [N, C, H, W] = x.shape;
  const v = values(x);
  const out: number[] = [];
  for (let n = 0; n < N * C; n++) {
    for (let i = 0; i < oH; i++) {
      const h0 = Math.floor((i * H) / oH);
      const h1 = Math.ceil(((i + 1) * H) / oH);
      for (let j = 0; j < oW; j++) {
        const w0 = Math.floor((j * W) / oW);
        const w1 = Math.ceil(((j + 1) * W) / oW);
        let s = 0;
        for (let r = h0; r < h1; r++) for (let c = w0; c < w1; c++) s += v[(n * H + r) * W + c];
        out.push(s / ((h1 - h0) * (w1 - w0)));
      }
    }
  }
  return out;
}

describe('AdaptiveAvgPool2d', () => {
  it('uses PyTorch bin boundaries for non-divisible sizes (5 → 3)', () => {
    // Rows of 5 → 3 bins: [0, 2), [1, 4), [3, 5). On the 1-D ramp 0..4 those means are 0.5, 2, 3.5.
    const ramp = arange(5).cast('float64').reshape([1, 1, 1, 5]);
    expect(values(new AdaptiveAvgPool2d([1, 3]).forward(ramp))).toEqual([0.5, 2, 3.5]);
    const x = arange(25).cast('float64').reshape([1, 1, 5, 5]);
    const y = new AdaptiveAvgPool2d(3).forward(x);
    expect(y.shape).toEqual([1, 1, 3, 3]);
    // Top-left bin: rows 0-1, cols 0-1 → (0 + 1 + 5 + 6) / 4.
    expect(values(y)[0]).toBe(3);
    // Centre bin: rows 1-3, cols 1-3 → the mean of a 3x3 block centred on 12.
    expect(values(y)[4]).toBe(12);
    expectClose(y, naiveAdaptive(x, 3, 3), 1e-12);
  });

  it('matches the formula for other sizes, upsampling and null dims', () => {
    manualSeed(2);
    const x = randn([2, 3, 7, 6], { dtype: 'float64' });
    expectClose(new AdaptiveAvgPool2d([3, 4]).forward(x), naiveAdaptive(x, 3, 4), 1e-12);
    expectClose(new AdaptiveAvgPool2d([9, 8]).forward(x), naiveAdaptive(x, 9, 8), 1e-12);
    expectClose(new AdaptiveAvgPool2d(1).forward(x), values(x.mean([2, 3])), 1e-12);
    expect(new AdaptiveAvgPool2d([null, 2]).forward(x).shape).toEqual([2, 3, 7, 2]);
    expect(new AdaptiveAvgPool2d(2).forward(randn([3, 5, 5])).shape).toEqual([3, 2, 2]);
  });

  it('passes gradCheck in float64', () => {
    const pool = new AdaptiveAvgPool2d([3, 2]);
    expectInputGradOk((t) => pool.forward(t), [randn64(3, [1, 2, 5, 3])]);
  });

  it('rejects bad sizes and shapes', () => {
    expect(() => new AdaptiveAvgPool2d(0)).toThrow(ArgumentError);
    expect(() => new AdaptiveAvgPool2d(2).forward(randn([5, 5]))).toThrow(ShapeError);
  });
});
