import { describe, expect, it } from 'vitest';
import { ArgumentError, PlexusError, onesLike, randn, tensor } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { grad, gradCheck, gradGradCheck, gradients, valueAndGrad } from '../src/index.js';
import { f64 } from './helpers.js';

const leaf = (v: number[]) => f64(v).requiresGrad_();

describe('clear errors', () => {
  it('grad(f)(x) where f returns a non-scalar names the shape and the alternative', () => {
    const f = (x: Tensor) => x.mul(2);
    expect(() => grad(f)(f64([1, 2, 3]))).toThrow(ArgumentError);
    expect(() => grad(f)(f64([1, 2, 3]))).toThrow(/single value.*\[3\] float64.*gradOutputs/);
    expect(() => valueAndGrad(f)(f64([1, 2]))).toThrow(/valueAndGrad/);
  });

  it('grad(f) where f returns something that is not a tensor', () => {
    const f = (() => 3) as unknown as (x: Tensor) => Tensor;
    expect(() => grad(f)(f64([1]))).toThrow(/single value.*number/);
  });

  it('argnums that do not name a tensor argument', () => {
    const f = (x: Tensor) => x.sum();
    expect(() => grad(f, 1)(f64([1]))).toThrow(/argnum 1.*1 arguments/);
    expect(() => grad(f, [0, -1])(f64([1]))).toThrow(/argnum -1/);
    expect(() => grad(f, 0.5)(f64([1]))).toThrow(/argnum 0.5/);
  });

  it('grad(outputs, inputs) with no inputs, or a non-tensor input', () => {
    const x = leaf([1]);
    expect(() => gradients(x.sum(), [])).toThrow(/at least one output and one input/);
    expect(() => gradients(x.sum(), [x, 3 as unknown as Tensor])).toThrow(/inputs\[1\] is not a Tensor/);
  });

  it('gradOutputs: wrong count, wrong shape', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    expect(() => gradients([y, y], x, { gradOutputs: [onesLike(y)] })).toThrow(/1 gradOutputs for 2 outputs/);
    expect(() => gradients(y, x, { gradOutputs: f64([1, 2, 3]) })).toThrow(/\[3\].*\[2\]/);
  });

  it('grad(outputs, inputs) of a non-scalar without gradOutputs names the shape', () => {
    const x = leaf([1, 2]);
    expect(() => gradients(x.mul(2), x)).toThrow(/\[2\]/);
  });

  it('gradCheck with float32 inputs says float64 is needed', () => {
    const x = randn([3]);
    expect(() => gradCheck((t) => t.sin(), [x])).toThrow(ArgumentError);
    expect(() => gradCheck((t) => t.sin(), [x])).toThrow(/inputs\[0\] is float32.*float64/);
    expect(() => gradGradCheck((t) => t.sin(), [f64([1]), x])).toThrow(/inputs\[1\] is float32/);
  });

  it('gradCheck reports a wrong gradient with the element and both values', () => {
    // A function whose autograd gradient is deliberately wrong: the detached factor hides a term.
    const wrong = (t: Tensor) => t.mul(t.detach());
    const r = gradCheck(wrong, [f64([1, 2])]);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/input 0 element \d: autograd .* finite difference /);
    expect(r.maxAbsError).toBeGreaterThan(0.1);
  });

  it('gradGradCheck catches a wrong second derivative', () => {
    // First derivative right (2t), second derivative wrong (0 instead of 2).
    const wrong = (t: Tensor) => t.square().sub(t.sub(t.detach()).square());
    expect(gradCheck(wrong, [f64([1, 2])]).message).toBe('ok');
    expect(gradGradCheck(wrong, [f64([1, 2])]).ok).toBe(false);
  });

  it('requiresGrad on an integer tensor is refused with the dtype', () => {
    expect(() => tensor([1, 2], { dtype: 'int32' }).requiresGrad_()).toThrow(/int32/);
  });

  it('errors are PlexusErrors', () => {
    expect(() => f64([1, 2]).sum().backward()).toThrow(PlexusError);
  });
});
