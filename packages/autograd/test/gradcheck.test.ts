import { describe, expect, it } from 'vitest';
import { ACCELERATED_NAMES, PRIMITIVE_NAMES, tensor } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { gradCheck, gradGradCheck, gradRules } from '../src/index.js';
import { f64, randn64, values } from './helpers.js';

describe('gradCheck itself', () => {
  it('returns ok, a small maxAbsError and the message "ok"', () => {
    const [x] = randn64(1, [3]);
    const r = gradCheck((t) => t.exp(), [x]);
    expect(r).toMatchObject({ ok: true, message: 'ok' });
    expect(r.maxAbsError).toBeLessThan(1e-6);
  });

  it('leaves its inputs untouched', () => {
    const x = f64([1, 2, 3]);
    gradCheck((t) => t.square(), [x]);
    gradGradCheck((t) => t.square(), [x]);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
    expect(values(x)).toEqual([1, 2, 3]);
  });

  it('passes integer inputs through unchanged', () => {
    const [x] = randn64(2, [4]);
    const index = tensor([3, 1], { dtype: 'int32' });
    expect(gradCheck((t, i) => t.gather(0, i).exp(), [x, index]).message).toBe('ok');
  });

  it('accepts inputs that already require grad, and non-scalar outputs', () => {
    const x = f64([0.5, -1]).requiresGrad_();
    expect(gradCheck((t) => t.tanh().reshape([2, 1]).expand([2, 3]), [x]).message).toBe('ok');
  });

  it('respects eps and tolerances', () => {
    const [x] = randn64(3, [3]);
    expect(gradCheck((t) => t.exp(), [x], { eps: 1e-4, atol: 1e-6, rtol: 1e-5 }).ok).toBe(true);
    // A huge step makes the finite difference of exp visibly wrong.
    expect(gradCheck((t) => t.exp(), [x], { eps: 0.5, atol: 1e-6, rtol: 1e-6 }).ok).toBe(false);
  });

  it('works with a function that takes gradients inside (as gradGradCheck does)', () => {
    const [x] = randn64(4, [3]);
    expect(gradGradCheck((t: Tensor) => t.sin().mul(t), [x]).message).toBe('ok');
  });
});

describe('rule table', () => {
  it('has a gradient rule for every primitive and accelerated op', () => {
    for (const name of [...PRIMITIVE_NAMES, ...ACCELERATED_NAMES]) {
      expect(typeof gradRules[name], name).toBe('function');
    }
  });
});
