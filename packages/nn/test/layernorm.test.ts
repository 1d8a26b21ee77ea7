import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, randn } from '@plexus/tensor';
import { LayerNorm } from '../src/index.js';
import { expectClose, expectLayerGradOk, f64, randn64 } from './helpers.js';

const EPS = 1e-5;

describe('LayerNorm', () => {
  it('normalises each sample over the last dim with the biased variance', () => {
    const ln = new LayerNorm(4, { dtype: 'float64' });
    ln.loadStateDict({ weight: f64([1, 2, 1, 0.5]), bias: f64([0, 0, 1, -1]) });
    const y = ln.forward(f64([[1, 2, 3, 4], [2, 2, 2, 6]]));
    // Row 1: mean 2.5, var 1.25. Row 2: mean 3, var 3.
    const r1 = [-1.5, -0.5, 0.5, 1.5].map((d) => d / Math.sqrt(1.25 + EPS));
    const r2 = [-1, -1, -1, 3].map((d) => d / Math.sqrt(3 + EPS));
    const affine = (r: number[]) => [r[0], 2 * r[1], r[2] + 1, 0.5 * r[3] - 1];
    expectClose(y, [...affine(r1), ...affine(r2)], 1e-12);
  });

  it('normalises over several trailing dims, the same in eval', () => {
    const ln = new LayerNorm([2, 2], { elementwiseAffine: false, dtype: 'float64' });
    expect(ln.parameters()).toHaveLength(0);
    const x = f64([[[[0, 2], [4, 6]]]]);
    const want = [-3, -1, 1, 3].map((d) => d / Math.sqrt(5 + EPS));
    expectClose(ln.forward(x), want, 1e-12);
    expectClose(ln.eval().forward(x), want, 1e-12);
    expect(new LayerNorm(3, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias', () => {
    const ln = new LayerNorm([2, 3], { dtype: 'float64' });
    ln.loadStateDict({ weight: randn64(1, [2, 3]), bias: randn64(2, [2, 3]) });
    expectLayerGradOk(ln, [randn64(3, [2, 2, 3])]);
  });

  it('rejects inputs whose trailing dims differ', () => {
    expect(() => new LayerNorm([3, 4]).forward(randn([2, 4, 3]))).toThrow(ShapeError);
    expect(() => new LayerNorm([3, 4]).forward(randn([2, 4, 3]))).toThrow('LayerNorm: expected input [..., 3, 4], got [2,4,3]');
    expect(() => new LayerNorm([])).toThrow(ArgumentError);
  });
});
