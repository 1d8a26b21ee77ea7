import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { gather, onesLike, tensor, zeros } from '@plexus/tensor';
import { grad, gradients, isGradEnabled, noGrad, stopGradient, valueAndGrad, withGradMode } from '../src/index.js';
import { expectClose, f64, values } from './helpers.js';

const leaf = (v: number[] | number[][]) => f64(v).requiresGrad_();

describe('backward()', () => {
  it('fills .grad on leaves and accumulates over two calls', () => {
    const x = leaf([1, 2, 3]);
    x.square().sum().backward();
    expectClose(x.grad as Tensor, [2, 4, 6]);
    x.square().sum().backward();
    expectClose(x.grad as Tensor, [4, 8, 12]);
  });

  it('accepts an explicit gradient for a non-scalar output', () => {
    const x = leaf([1, 2, 3]);
    x.mul(3).backward(f64([1, 0, 2]));
    expectClose(x.grad as Tensor, [3, 0, 6]);
  });

  it('a leaf used twice accumulates both paths', () => {
    const x = leaf([2, -1]);
    x.mul(x).add(x.sin()).sum().backward();
    expectClose(x.grad as Tensor, [4 + Math.cos(2), -2 + Math.cos(-1)]);
  });

  it('on a non-scalar without a gradient: an error naming the shape and what to do', () => {
    const y = leaf([[1, 2], [3, 4]]).mul(2);
    expect(() => y.backward()).toThrow(/\[2,2\]/);
    expect(() => y.backward()).toThrow(/y\.sum\(\)\.backward\(\)|pass the output's gradient/);
  });

  it('with a gradient of the wrong shape: an error naming both shapes', () => {
    const y = leaf([1, 2, 3]).mul(2);
    expect(() => y.backward(f64([1, 2]))).toThrow(/\[2\].*\[3\]/);
  });

  it('on a tensor that needs no grad: an error saying so', () => {
    expect(() => f64([1, 2]).sum().backward()).toThrow(/does not require grad/);
    const x = leaf([1, 2]);
    const y = noGrad(() => x.square().sum());
    expect(() => y.backward()).toThrow(/requiresGrad/);
  });

  it('a second backward through a freed graph throws and suggests retainGraph', () => {
    const x = leaf([1, 2]);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/retainGraph/);
  });

  it('retainGraph: true allows a second backward', () => {
    const x = leaf([1, 2]);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(x.grad as Tensor, [2 * Math.exp(1), 2 * Math.exp(2)]);
  });

  it('gradients with respect to an intermediate tensor via grad(outputs, inputs)', () => {
    const x = leaf([1, 2]);
    const h = x.mul(3);
    const y = h.square().sum();
    const [gh, gx] = grad(y, [h, x]);
    expectClose(gh, [6, 12]);
    expectClose(gx, [18, 36]);
  });

  it('backward() through an intermediate still reaches the leaf; the intermediate keeps no .grad', () => {
    const x = leaf([1, 2]);
    const h = x.mul(3);
    h.square().sum().backward();
    expectClose(x.grad as Tensor, [18, 36]);
    expect(h.grad).toBeNull();
    expect(h.isLeaf).toBe(false);
    expect(x.isLeaf).toBe(true);
  });

  it('createGraph: true makes .grad differentiable', () => {
    const x = leaf([0.5, 1]);
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const g = x.grad as Tensor;
    expect(g.requiresGrad).toBe(true);
    const [d2] = grad(g.sum(), x);
    expectClose(d2, [3, 6]);
  });
});

describe('grad(outputs, inputs)', () => {
  it('does not touch .grad', () => {
    const x = leaf([1, 2]);
    const [g] = grad(x.square().sum(), x);
    expectClose(g, [2, 4]);
    expect(x.grad).toBeNull();
  });

  it('an unused input gets zeros of its shape', () => {
    const x = leaf([1, 2]);
    const z = leaf([[1, 2, 3]]);
    const [gx, gz] = grad(x.sum(), [x, z]);
    expectClose(gx, [1, 1]);
    expect(gz.shape).toEqual([1, 3]);
    expectClose(gz, [0, 0, 0]);
  });

  it('several outputs with gradOutputs', () => {
    const x = leaf([1, 2]);
    const [g] = gradients([x.square(), x.mul(5)], x, { gradOutputs: [onesLike(x), f64([1, 0])] });
    expectClose(g, [2 + 5, 4]);
  });

  it('results are not differentiable unless createGraph is set', () => {
    const x = leaf([1, 2]);
    expect(grad(x.square().sum(), x)[0].requiresGrad).toBe(false);
    expect(grad(x.square().sum(), x, { createGraph: true })[0].requiresGrad).toBe(true);
  });

  it('frees the graph unless retainGraph (or createGraph) is set', () => {
    const x = leaf([1, 2]);
    const y = x.exp().sum();
    grad(y, x);
    expect(() => grad(y, x)).toThrow(/retainGraph/);
    const y2 = x.exp().sum();
    grad(y2, x, { retainGraph: true });
    expectClose(grad(y2, x)[0], [Math.exp(1), Math.exp(2)]);
  });

  it('an input that does not require grad is rejected with a hint', () => {
    expect(() => grad(f64([1]).sum(), f64([1]))).toThrow(/does not require grad.*requiresGrad: true/);
  });
});

describe('grad(f) and valueAndGrad(f)', () => {
  const f = (x: Tensor, y: Tensor) => x.square().mul(y).sum();

  it('grad(f) differentiates the first argument by default', () => {
    const g = grad(f)(f64([1, 2]), f64([3, 4]));
    expectClose(g, [6, 16]);
    expect(g.requiresGrad).toBe(false);
  });

  it('argnums as a number and as an array', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    expectClose(grad(f, 1)(x, y), [1, 4]);
    const [gx, gy] = grad(f, [0, 1])(x, y);
    expectClose(gx, [6, 16]);
    expectClose(gy, [1, 4]);
  });

  it('valueAndGrad returns the value and the gradient(s)', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    const [v, g] = valueAndGrad(f)(x, y);
    expect(v.item()).toBe(3 + 16);
    expectClose(g, [6, 16]);
    const [v2, [gx, gy]] = valueAndGrad(f, [0, 1])(x, y);
    expect(v2.item()).toBe(19);
    expectClose(gx, [6, 16]);
    expectClose(gy, [1, 4]);
  });

  it('does not modify its arguments', () => {
    const x = f64([1, 2]);
    grad(f)(x, f64([3, 4]));
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('records the inner gradient when f closes over tensors that require grad', () => {
    const w = leaf([0.5, 2]);
    const x = f64([1, -1]);
    // g = w·cos(w·x); d(Σg)/dw = cos(w·x) − w·x·sin(w·x)
    const g = grad((t) => t.mul(w).sin().sum())(x);
    g.sum().backward();
    expectClose(w.grad as Tensor, [0, 1].map((i) => {
      const [wi, xi] = [[0.5, 2][i], [1, -1][i]];
      return Math.cos(wi * xi) - wi * xi * Math.sin(wi * xi);
    }));
  });

  it('valueAndGrad keeps the value connected to outer tensors', () => {
    const w = leaf([3]);
    const [v] = valueAndGrad((t) => t.mul(w).sum())(f64([2]));
    expect(v.requiresGrad).toBe(true);
    expectClose(grad(v, w)[0], [2]);
  });
});

describe('noGrad, detach, stopGradient', () => {
  it('noGrad produces tensors with requiresGrad false, and restores the mode', () => {
    const x = leaf([1, 2]);
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(2).exp();
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(isGradEnabled()).toBe(true);
    expect(withGradMode(false, () => x.sin()).requiresGrad).toBe(false);
    expect(x.sin().requiresGrad).toBe(true);
  });

  it('noGrad restores the mode after a throw', () => {
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach() cuts the graph', () => {
    const x = leaf([1, 2]);
    const d = x.square().detach();
    expect(d.requiresGrad).toBe(false);
    const y = x.mul(d).sum(); // d acts as a constant: dy/dx = d
    expectClose(grad(y, x)[0], [1, 4]);
  });

  it('stopGradient cuts the graph', () => {
    const x = leaf([1, 2]);
    const y = stopGradient(x.square()).mul(x).add(x.square()).sum();
    expectClose(grad(y, x)[0], [1 + 2, 4 + 4]);
    expect(stopGradient(x).requiresGrad).toBe(false);
    expectClose(grad((t) => stopGradient(t).mul(t).sum())(f64([3])), [3]);
  });
});

describe('integer and boolean tensors', () => {
  it('integer indices get no gradient and cannot require grad', () => {
    const x = leaf([1, 2, 3]);
    const index = tensor([2, 2, 0], { dtype: 'int32' });
    gather(x, 0, index).sum().backward();
    expectClose(x.grad as Tensor, [1, 0, 2]);
    expect(index.grad).toBeNull();
    expect(index.requiresGrad).toBe(false);
    expect(() => index.requiresGrad_()).toThrow(/floating/);
  });

  it('comparisons and casts to int32 end the graph', () => {
    const x = leaf([1, -2]);
    expect(x.gt(0).requiresGrad).toBe(false);
    expect(x.cast('int32').requiresGrad).toBe(false);
    // A cast back to float starts from a constant.
    const y = x.cast('int32').cast('float64').mul(x).sum();
    expectClose(grad(y, x)[0], [1, -2]);
  });

  it('float32 leaves get float32 gradients', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad?.dtype).toBe('float32');
    expect(values(x.grad as Tensor)).toEqual([2, 4]);
  });

  it('a float32 leaf used in float64 math gets a float32 gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.cast('float64').mul(f64([3, 4])).sum();
    const [g] = grad(y, x);
    expect(g.dtype).toBe('float32');
    expect(values(g)).toEqual([3, 4]);
  });

  it('zeros with requiresGrad is a differentiable leaf', () => {
    const z = zeros([2], { dtype: 'float64', requiresGrad: true });
    expectClose(grad(z.add(1).log().sum(), z)[0], [1, 1]);
  });
});
