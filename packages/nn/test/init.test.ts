import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, Generator, ShapeError, eye, manualSeed, randn, zeros } from '@plexus/tensor';
import {
  BatchNorm2d, Conv2d, ConvTranspose2d, Embedding, LayerNorm, Linear, Parameter, calculateGain, constant_, fanInAndFanOut, init,
  kaimingNormal_, kaimingUniform_, normal_, ones_, orthogonal_, uniform_, xavierNormal_, xavierUniform_, zeros_,
} from '../src/index.js';
import { expectClose, values } from './helpers.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = values(t);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

const param = (shape: number[]): Parameter => new Parameter(zeros(shape, { dtype: 'float64' }));

describe('calculateGain and fanInAndFanOut', () => {
  it('match PyTorch', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('conv2d')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('swish' as never)).toThrow(/unsupported nonlinearity 'swish'/);
  });

  it('fan in/out use the receptive field', () => {
    expect(fanInAndFanOut(zeros([5, 3]))).toEqual([3, 5]);
    expect(fanInAndFanOut(zeros([8, 4, 3, 3]))).toEqual([36, 72]);
    expect(() => fanInAndFanOut(zeros([5]))).toThrow(ShapeError);
  });
});

describe('initializer statistics', () => {
  it('uniform_ and normal_', () => {
    manualSeed(0);
    const u = stats(uniform_(param([20000]), -2, 3));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(0.5, 1);
    expect(u.std).toBeCloseTo(5 / Math.sqrt(12), 1);
    const n = stats(normal_(param([20000]), 1, 2));
    expect(n.mean).toBeCloseTo(1, 1);
    expect(Math.abs(n.std - 2)).toBeLessThan(0.05);
  });

  it('constant_, zeros_, ones_ (any dtype)', () => {
    expect(values(constant_(param([3]), 2.5))).toEqual([2.5, 2.5, 2.5]);
    expect(values(ones_(param([2])))).toEqual([1, 1]);
    expect(values(zeros_(ones_(param([2]))))).toEqual([0, 0]);
    expect(values(constant_(zeros([2], { dtype: 'int32' }), 7))).toEqual([7, 7]);
  });

  it('kaimingUniform_: bound gain·√(3/fan), fanIn or fanOut', () => {
    manualSeed(1);
    const w = kaimingUniform_(param([256, 128]));
    const bound = Math.SQRT2 * Math.sqrt(3 / 128);
    const s = stats(w);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    const out = stats(kaimingUniform_(param([256, 128]), { mode: 'fanOut', nonlinearity: 'relu' }));
    expect(out.max).toBeLessThanOrEqual(Math.SQRT2 * Math.sqrt(3 / 256));
    expect(out.max).toBeGreaterThan(0.99 * Math.SQRT2 * Math.sqrt(3 / 256));
    // a = √5 (PyTorch's Linear default) gives the bound 1/√fanIn.
    const lin = stats(kaimingUniform_(param([64, 100]), { a: Math.sqrt(5) }));
    expect(lin.max).toBeLessThanOrEqual(0.1);
    expect(lin.max).toBeGreaterThan(0.099);
    expect(() => kaimingUniform_(param([2, 2]), { mode: 'fan' as never })).toThrow(ArgumentError);
  });

  it('kaimingNormal_: std gain/√fan', () => {
    manualSeed(2);
    const s = stats(kaimingNormal_(param([200, 50, 3]), { nonlinearity: 'relu' }));
    expect(Math.abs(s.std / (Math.SQRT2 / Math.sqrt(150)) - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
  });

  it('xavierUniform_ and xavierNormal_: std gain·√(2/(fanIn+fanOut))', () => {
    manualSeed(3);
    const std = Math.sqrt(2 / (300 + 100));
    const u = stats(xavierUniform_(param([100, 300])));
    expect(u.max).toBeLessThanOrEqual(Math.sqrt(3) * std);
    expect(u.max).toBeGreaterThan(0.99 * Math.sqrt(3) * std);
    expect(Math.abs(u.std / std - 1)).toBeLessThan(0.02);
    const n = stats(xavierNormal_(param([100, 300]), { gain: 2 }));
    expect(Math.abs(n.std / (2 * std) - 1)).toBeLessThan(0.02);
  });

  it('orthogonal_: W·Wᵀ = I for wide, WᵀW = I for tall, times gain', () => {
    manualSeed(4);
    const wide = orthogonal_(param([4, 6]));
    expectClose(wide.matmul(wide.t()), eyeLike(4), 1e-12);
    expect(init.orthogonal_).toBe(orthogonal_);
    const tall = orthogonal_(param([6, 4]), { gain: 3 });
    expectClose(tall.t().matmul(tall), eyeLike(4).mul(9), 1e-12);
    const conv = orthogonal_(param([3, 2, 2, 2])).reshape([3, 8]);
    expectClose(conv.matmul(conv.t()), eyeLike(3), 1e-12);
    // float32 weights are orthogonal to float32 precision.
    const w32 = orthogonal_(new Parameter(zeros([16, 16])));
    expectClose(w32.matmul(w32.t()), eyeLike(16), 1e-5);
    expect(() => orthogonal_(param([4]))).toThrow(ShapeError);
  });

  it('refuses integer tensors', () => {
    expect(() => uniform_(zeros([2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => uniform_(param([2]), 1, 0)).toThrow(/expected a <= b/);
  });
});

const eyeLike = (n: number): Tensor => eye(n, n, { dtype: 'float64' });

describe('determinism', () => {
  it('manualSeed gives the same weights; other seeds give others', () => {
    manualSeed(42);
    const a = values(new Linear(5, 4).weight);
    manualSeed(42);
    const b = values(new Linear(5, 4).weight);
    manualSeed(43);
    const c = values(new Linear(5, 4).weight);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('an explicit generator leaves the default generator alone', () => {
    manualSeed(7);
    const ref = values(randn([3]));
    manualSeed(7);
    const g1 = values(kaimingUniform_(param([3, 3]), { generator: new Generator(1) }));
    expect(values(randn([3]))).toEqual(ref);
    const g2 = values(kaimingUniform_(param([3, 3]), { generator: new Generator(1) }));
    expect(g1).toEqual(g2);
  });
});

describe("layers' default initialisation (PyTorch's)", () => {
  it('Linear: weight and bias in U(−1/√fanIn, 1/√fanIn)', () => {
    manualSeed(5);
    const lin = new Linear(400, 300);
    const w = stats(lin.weight);
    const b = stats(lin.bias!);
    expect(w.max).toBeLessThanOrEqual(0.05);
    expect(w.max).toBeGreaterThan(0.0499);
    expect(w.min).toBeGreaterThanOrEqual(-0.05);
    expect(Math.abs(w.std / (0.05 / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    expect(b.max).toBeLessThanOrEqual(0.05);
    expect(b.min).toBeGreaterThanOrEqual(-0.05);
    expect(b.max - b.min).toBeGreaterThan(0.09);
  });

  it('Conv2d and ConvTranspose2d: bound 1/√(weight.shape[1]·k·k)', () => {
    manualSeed(6);
    const conv = new Conv2d(16, 32, 3); // fanIn 144
    expect(stats(conv.weight).max).toBeLessThanOrEqual(1 / 12);
    expect(stats(conv.weight).max).toBeGreaterThan(0.99 / 12);
    expect(stats(conv.bias!).max).toBeLessThanOrEqual(1 / 12);
    const grouped = new Conv2d(16, 32, 3, { groups: 4 }); // fanIn 4·9 = 36
    expect(stats(grouped.weight).max).toBeGreaterThan(0.99 / 6);
    const up = new ConvTranspose2d(32, 16, 3); // weight [32, 16, 3, 3]: fanIn 144
    expect(stats(up.weight).max).toBeLessThanOrEqual(1 / 12);
    expect(stats(up.weight).max).toBeGreaterThan(0.99 / 12);
  });

  it('Embedding N(0, 1); LayerNorm and BatchNorm weight 1 and bias 0', () => {
    manualSeed(7);
    const e = stats(new Embedding(1000, 20).weight);
    expect(Math.abs(e.std - 1)).toBeLessThan(0.02);
    expect(Math.abs(e.mean)).toBeLessThan(0.02);
    const ln = new LayerNorm(4);
    expect(values(ln.weight!)).toEqual([1, 1, 1, 1]);
    expect(values(ln.bias!)).toEqual([0, 0, 0, 0]);
    const bn = new BatchNorm2d(3);
    expect(values(bn.weight!)).toEqual([1, 1, 1]);
    expect(values(bn.bias!)).toEqual([0, 0, 0]);
    expect(values(bn.runningMean!)).toEqual([0, 0, 0]);
    expect(values(bn.runningVar!)).toEqual([1, 1, 1]);
  });
});
