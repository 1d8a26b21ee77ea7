import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { tensor } from '@plexus/tensor';
import { clipGradNorm, clipGradValue } from '../src/index.js';
import { expectClose, f64, param, values } from './helpers.js';

/** Two parameters with gradients [3, 4] and [[12]] (joint 2-norm 13) and one without. */
function setup(): Tensor[] {
  const a = param([0, 0]);
  const b = param([[0]]);
  const c = param([0]);
  a.grad = f64([3, 4]);
  b.grad = f64([[12]]);
  return [a, b, c];
}

describe('clipGradNorm', () => {
  it('2-norm: returns the total and scales by maxNorm/(total + 1e-6)', () => {
    const ps = setup();
    const gradA = ps[0].grad;
    const total = clipGradNorm(ps, 6.5);
    expect(total).toBeCloseTo(13, 12);
    const coef = 6.5 / (13 + 1e-6);
    expectClose(values(ps[0].grad as Tensor), [3 * coef, 4 * coef]);
    expectClose(values(ps[1].grad as Tensor), [12 * coef]);
    expect(ps[2].grad).toBeNull();
    expect(ps[0].grad).toBe(gradA); // in place: the same tensor object
    // the joint norm is now maxNorm (up to the 1e-6 guard)
    expect(clipGradNorm(ps, 100)).toBeCloseTo(6.5, 6);
  });

  it('leaves gradients unchanged when the norm is below maxNorm', () => {
    const ps = setup();
    expect(clipGradNorm(ps, 13.1)).toBeCloseTo(13, 12);
    expect(values(ps[0].grad as Tensor)).toEqual([3, 4]);
  });

  it('Infinity norm is the largest |g|; 1-norm and 3-norm sum |g|^p', () => {
    const ps = setup();
    ps[0].grad = f64([3, -20]);
    expect(clipGradNorm(ps, 1e9, Infinity)).toBe(20);
    expect(clipGradNorm(ps, 1e9, 1)).toBeCloseTo(35, 12);
    expect(clipGradNorm(ps, 1e9, 3)).toBeCloseTo((27 + 8000 + 1728) ** (1 / 3), 10);
    const inf = clipGradNorm(ps, 2, Infinity);
    expect(inf).toBe(20);
    expectClose(values(ps[0].grad as Tensor), [3, -20].map((g) => (g * 2) / (20 + 1e-6)));
  });

  it('takes a single tensor; float32 gradients stay float32; no gradients gives 0', () => {
    const p = tensor([0, 0], { requiresGrad: true });
    p.grad = tensor([30, 40]);
    expect(clipGradNorm(p, 5)).toBeCloseTo(50, 4);
    expect(p.grad.dtype).toBe('float32');
    expectClose(values(p.grad), [3, 4], 1e-6);
    expect(clipGradNorm([param([1])], 1)).toBe(0);
  });

  it('non-finite totals: NaN/Infinity returned, or an error when asked', () => {
    const p = param([0, 0]);
    p.grad = f64([Infinity, 1]);
    expect(() => clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow('clipGradNorm: the total norm of order 2 of the gradients is Infinity');
    expect(clipGradNorm([p], 1)).toBe(Infinity);
  });

  it('rejects bad arguments', () => {
    expect(() => clipGradNorm(setup(), -1)).toThrow('clipGradNorm: maxNorm must be a number >= 0, got -1');
    expect(() => clipGradNorm(setup(), 1, 0)).toThrow('clipGradNorm: normType must be a positive number or Infinity, got 0');
    // @ts-expect-error not tensors
    expect(() => clipGradNorm([1, 2], 1)).toThrow('clipGradNorm: params[0] is not a Tensor (got number)');
  });
});

describe('clipGradValue', () => {
  it('clamps every gradient into [−clip, clip] in place', () => {
    const ps = setup();
    ps[0].grad = f64([-3, 0.5]);
    clipGradValue(ps, 1);
    expect(values(ps[0].grad as Tensor)).toEqual([-1, 0.5]);
    expect(values(ps[1].grad as Tensor)).toEqual([1]);
    expect(ps[2].grad).toBeNull();
  });

  it('rejects a negative clip value', () => {
    expect(() => clipGradValue(setup(), -0.1)).toThrow('clipGradValue: clipValue must be a number >= 0, got -0.1');
  });
});
