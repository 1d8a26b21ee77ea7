import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, manualSeed, ones, randn } from '@plexus/tensor';
import { Dropout } from '../src/index.js';
import { expectClose, expectInputGradOk, randn64, values } from './helpers.js';

describe('Dropout', () => {
  it('is reproducible under manualSeed', () => {
    const drop = new Dropout(0.5);
    manualSeed(11);
    const a = values(drop.forward(ones([100])));
    manualSeed(11);
    const b = values(drop.forward(ones([100])));
    const c = values(drop.forward(ones([100])));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('zeroes about p of the elements, scales the rest by 1/(1 − p), and keeps the mean', () => {
    manualSeed(12);
    const p = 0.3;
    const y = values(new Dropout(p).forward(ones([20000])));
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(zeros - p)).toBeLessThan(0.015);
    expect(new Set(y.filter((v) => v !== 0).map((v) => v.toFixed(6)))).toEqual(new Set([(1 / 0.7).toFixed(6)]));
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.025);
  });

  it('is the identity in eval mode and for p = 0; p = 1 drops everything', () => {
    const x = randn([3, 4]);
    expect(new Dropout(0.5).eval().forward(x)).toBe(x);
    expect(new Dropout(0).forward(x)).toBe(x);
    expect(values(new Dropout(1).forward(x)).every((v) => v === 0)).toBe(true);
  });

  it('draws from its own generator when given one', () => {
    const a = values(new Dropout(0.5, { generator: new Generator(3) }).forward(ones([50])));
    const b = values(new Dropout(0.5, { generator: new Generator(3) }).forward(ones([50])));
    expect(a).toEqual(b);
  });

  it('passes gradCheck in float64 with a fixed mask', () => {
    const x = randn64(1, [3, 4]);
    // A fresh generator per call gives the same mask at every finite-difference evaluation.
    expectInputGradOk((t: Tensor) => new Dropout(0.4, { generator: new Generator(5) }).forward(t), [x]);
    const y = new Dropout(0.4, { generator: new Generator(5) }).forward(x);
    // The gradient is the mask scaled by 1/(1 − p).
    const xr = x.detach().requiresGrad_();
    new Dropout(0.4, { generator: new Generator(5) }).forward(xr).sum().backward();
    expectClose(xr.grad as Tensor, values(y).map((v) => (v === 0 ? 0 : 1 / 0.6)), 1e-12);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => new Dropout(1.5)).toThrow(ArgumentError);
    expect(() => new Dropout(1.5)).toThrow('Dropout: p must be a probability in [0, 1], got 1.5');
    expect(() => new Dropout(-0.1)).toThrow(ArgumentError);
    expect(() => new Dropout(NaN)).toThrow(ArgumentError);
  });
});
