import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { BatchNorm1d, BatchNorm2d } from '../src/index.js';
import { expectClose, expectLayerGradOk, f64, randn64, values } from './helpers.js';

const EPS = 1e-5;

/** Per-channel mean and variance of [N, C, ...] with explicit loops. */
function channelStats(x: Tensor): { mean: number[]; biased: number[]; unbiased: number[] } {
  const [N, C] = x.shape;
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const v = values(x);
  const mean: number[] = [];
  const biased: number[] = [];
  const unbiased: number[] = [];
  for (let c = 0; c < C; c++) {
    const xs: number[] = [];
    for (let n = 0; n < N; n++) for (let k = 0; k < inner; k++) xs.push(v[(n * C + c) * inner + k]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const ss = xs.reduce((a, b) => a + (b - m) ** 2, 0);
    mean.push(m);
    biased.push(ss / xs.length);
    unbiased.push(ss / (xs.length - 1));
  }
  return { mean, biased, unbiased };
}

/** (x − mean[c]) / √(var[c] + eps)·w[c] + b[c] with explicit loops. */
function normalise(x: Tensor, mean: number[], variance: number[], w: number[], b: number[]): number[] {
  const C = x.shape[1];
  const inner = x.shape.slice(2).reduce((a, c) => a * c, 1);
  return values(x).map((v, i) => {
    const c = Math.floor(i / inner) % C;
    return ((v - mean[c]) / Math.sqrt(variance[c] + EPS)) * w[c] + b[c];
  });
}

describe('BatchNorm1d', () => {
  it('normalises [N, C] with the biased batch variance in training', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64' });
    const x = f64([[1, 10], [3, 20], [5, 60]]);
    const y = bn.forward(x);
    // Channel 0: mean 3, biased var 8/3; channel 1: mean 30, biased var 1400/3.
    expectClose(y, [-2 / Math.sqrt(8 / 3 + EPS), -20 / Math.sqrt(1400 / 3 + EPS), 0, -10 / Math.sqrt(1400 / 3 + EPS), 2 / Math.sqrt(8 / 3 + EPS), 30 / Math.sqrt(1400 / 3 + EPS)], 1e-12);
  });

  it('updates running mean and UNBIASED running variance over two steps, then uses them in eval', () => {
    manualSeed(0);
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    bn.loadStateDict({ ...bn.stateDict(), weight: f64([1, 2, 0.5]), bias: f64([0, -1, 3]) });
    const x1 = randn([4, 3, 5], { dtype: 'float64' });
    const x2 = randn([4, 3, 5], { dtype: 'float64' }).mul(3).add(1);
    const y1 = bn.forward(x1);
    const s1 = channelStats(x1);
    expectClose(y1, normalise(x1, s1.mean, s1.biased, [1, 2, 0.5], [0, -1, 3]), 1e-12);
    bn.forward(x2);
    const s2 = channelStats(x2);
    const rm = [0, 1, 2].map((c) => 0.9 * (0.9 * 0 + 0.1 * s1.mean[c]) + 0.1 * s2.mean[c]);
    const rv = [0, 1, 2].map((c) => 0.9 * (0.9 * 1 + 0.1 * s1.unbiased[c]) + 0.1 * s2.unbiased[c]);
    expectClose(bn.runningMean!, rm, 1e-12);
    expectClose(bn.runningVar!, rv, 1e-12);
    expect(bn.numBatchesTracked).toBe(2);
    bn.eval();
    const x3 = randn([2, 3, 5], { dtype: 'float64' });
    expectClose(bn.forward(x3), normalise(x3, rm, rv, [1, 2, 0.5], [0, -1, 3]), 1e-12);
    expect(bn.numBatchesTracked).toBe(2);
    expectClose(bn.runningMean!, rm, 1e-12);
  });

  it('momentum null keeps a cumulative average; trackRunningStats false uses batch statistics in eval', () => {
    manualSeed(1);
    const cma = new BatchNorm1d(2, { momentum: null, dtype: 'float64' });
    const a = randn([6, 2], { dtype: 'float64' });
    const b = randn([6, 2], { dtype: 'float64' }).add(2);
    cma.forward(a);
    cma.forward(b);
    const [sa, sb] = [channelStats(a), channelStats(b)];
    expectClose(cma.runningMean!, [0, 1].map((c) => (sa.mean[c] + sb.mean[c]) / 2), 1e-12);
    expectClose(cma.runningVar!, [0, 1].map((c) => (sa.unbiased[c] + sb.unbiased[c]) / 2), 1e-12);
    const free = new BatchNorm1d(2, { trackRunningStats: false, affine: false, dtype: 'float64' });
    expect(free.parameters()).toHaveLength(0);
    expect(free.buffers()).toHaveLength(0);
    free.eval();
    expectClose(free.forward(a), normalise(a, sa.mean, sa.biased, [1, 1], [0, 0]), 1e-12);
  });

  it('resetRunningStats restores mean 0 and variance 1', () => {
    const bn = new BatchNorm1d(2);
    bn.forward(randn([4, 2]).add(5));
    bn.resetRunningStats();
    expect(values(bn.runningMean!)).toEqual([0, 0]);
    expect(values(bn.runningVar!)).toEqual([1, 1]);
    expect(bn.numBatchesTracked).toBe(0);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias, in training and eval', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    expectLayerGradOk(bn, [randn64(2, [4, 3])]);
    expectLayerGradOk(bn, [randn64(3, [2, 3, 4])]);
    bn.eval();
    expectLayerGradOk(bn, [randn64(4, [2, 3])]);
  });

  it('names the expected channels on a wrong input, and needs two values per channel to train', () => {
    const bn = new BatchNorm1d(4);
    expect(() => bn.forward(randn([8, 3]))).toThrow(ShapeError);
    expect(() => bn.forward(randn([8, 3]))).toThrow('BatchNorm1d: expected input [N, 4] or [N, 4, L] (4 channels), got [8,3]');
    expect(() => bn.forward(randn([2, 4, 3, 3]))).toThrow(ShapeError);
    expect(() => bn.forward(randn([1, 4]))).toThrow(/expected more than 1 value per channel when training, got input \[1,4\]/);
    expect(bn.eval().forward(randn([1, 4])).shape).toEqual([1, 4]);
    expect(() => new BatchNorm1d(4, { momentum: 2 })).toThrow(ArgumentError);
  });
});

describe('BatchNorm2d', () => {
  it('normalises each channel over N, H and W and tracks running statistics', () => {
    manualSeed(5);
    const bn = new BatchNorm2d(2, { momentum: 0.3, dtype: 'float64' });
    const x = randn([3, 2, 2, 3], { dtype: 'float64' });
    const s = channelStats(x);
    expectClose(bn.forward(x), normalise(x, s.mean, s.biased, [1, 1], [0, 0]), 1e-12);
    expectClose(bn.runningMean!, s.mean.map((m) => 0.3 * m), 1e-12);
    expectClose(bn.runningVar!, s.unbiased.map((v) => 0.7 + 0.3 * v), 1e-12);
  });

  it('float32 layers accept float32 input and keep float32 statistics', () => {
    const bn = new BatchNorm2d(2);
    const y = bn.forward(tensor([[[[1, 2]], [[3, 5]]], [[[3, 4]], [[7, 9]]]]));
    expect(y.dtype).toBe('float32');
    expect(bn.runningMean!.dtype).toBe('float32');
    expectClose(bn.runningMean!, [0.25, 0.6], 1e-6);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64' });
    expectLayerGradOk(bn, [randn64(6, [2, 2, 2, 2])]);
  });

  it('names the expected channels on a wrong input', () => {
    expect(() => new BatchNorm2d(16).forward(randn([2, 3, 4, 4]))).toThrow('BatchNorm2d: expected input [N, 16, H, W] (16 channels), got [2,3,4,4]');
  });
});
