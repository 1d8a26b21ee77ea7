import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import { gelu, logSoftmax, matmul, onesLike, prod, softmax, softplus } from '@plexus/tensor';
import { grad, gradients } from '../src/index.js';
import { awayFromZero, expectClose, expectGradGradOk, f64, positive, randn64, values } from './helpers.js';

describe('second derivatives pass gradGradCheck', () => {
  it('chain of tanh, sigmoid, exp, sin', () => {
    const [x] = randn64(1, [2, 3]);
    expectGradGradOk((t) => t.tanh().sigmoid().mul(0.5).exp().sin(), [x]);
  });

  it('each elementwise op alone', () => {
    const [x] = randn64(2, [4]);
    expectGradGradOk((t) => t.tanh(), [x]);
    expectGradGradOk((t) => t.sigmoid(), [x]);
    expectGradGradOk((t) => t.exp(), [x]);
    expectGradGradOk((t) => t.sin(), [x]);
    expectGradGradOk((t) => softplus(t), [x]);
    expectGradGradOk((t) => gelu(t), [x]);
    expectGradGradOk((t) => gelu(t, 'tanh'), [x]);
    expectGradGradOk((t) => t.log(), [positive(3, [4])]);
  });

  it('log of a positive chain', () => {
    const [x] = randn64(4, [2, 3]);
    expectGradGradOk((t) => softplus(t).add(0.1).log().tanh(), [x]);
  });

  it('pow with a scalar exponent and with a tensor exponent (both operands)', () => {
    const a = positive(5, [2, 3]);
    const [b] = randn64(6, [2, 3]);
    expectGradGradOk((p) => p.pow(3), [a]);
    expectGradGradOk((p) => p.pow(-0.5), [a]);
    expectGradGradOk((p, q) => p.pow(q), [a, b]);
  });

  it('matmul (both operands) with a nonlinearity', () => {
    const [a, b] = randn64(7, [3, 4], [4, 2]);
    expectGradGradOk((p, q) => matmul(p, q).tanh(), [a, b]);
    expectGradGradOk((p, q) => matmul(p.sin(), q).square(), [a, b]);
    // A batch times one shared matrix: the shared matrix's gradient folds the batch into rows.
    expectGradGradOk((p, q) => matmul(p, q).tanh(), randn64(17, [2, 3, 4], [4, 2]));
  });

  it('softmax and logSoftmax', () => {
    const [x] = randn64(8, [2, 4]);
    expectGradGradOk((t) => softmax(t), [x]);
    expectGradGradOk((t) => softmax(t, 0), [x]);
    expectGradGradOk((t) => logSoftmax(t), [x]);
    expectGradGradOk((t) => logSoftmax(t, 0).mul(t), [x]);
  });

  it('binary ops with broadcasting', () => {
    const [a, b] = randn64(9, [3, 1], [1, 4]);
    expectGradGradOk((p, q) => p.mul(q).sin().div(q.square().add(1)), [a, b]);
  });

  it('prod without zeros', () => {
    const [x] = randn64(10, [2, 3]);
    expectGradGradOk((t) => prod(t, 1), [x]);
  });

  // With two or more exact zeros only first derivatives are exact (see the rule's comment).
  it('second derivatives of prod at an input with one exact zero', () => {
    expectGradGradOk((t) => T.prod(t), [f64([1.5, 0, -2, 0.7])]);
    expectGradGradOk((t) => T.prod(t, 1), [f64([[1.5, 0, -2], [0.3, 0.9, -1.2]])]);
  });
});

describe('every other rule is differentiable too (gradGradCheck sweep)', () => {
  const int = (v: number[][]) => T.tensor(v, { dtype: 'int32' });
  const [x, y] = randn64(20, [2, 3], [1, 3]);
  const p = positive(21, [2, 3]);
  const a0 = awayFromZero(22, [2, 3]);
  const cases: [string, (...t: Tensor[]) => Tensor, Tensor[]][] = [
    ['neg', T.neg, [x]], ['abs', (a) => T.abs(a).square(), [a0]], ['log1p', T.log1p, [p]], ['expm1', T.expm1, [x]],
    ['sqrt', T.sqrt, [p]], ['rsqrt', T.rsqrt, [p]], ['cos', T.cos, [x]], ['erf', T.erf, [x]], ['square', T.square, [x]],
    ['reciprocal', T.reciprocal, [a0]], ['div', T.div, [x, positive(23, [1, 3])]], ['mul', T.mul, [x, y]], ['sub', T.sub, [x, y]],
    ['maximum', (a, b) => T.maximum(a, b).square(), [x, y]], ['minimum', (a, b) => T.minimum(a, b).square(), [x, y]],
    ['where', (a, b) => T.where(a.gt(0), a.square(), b.exp()), [x, y]], ['clamp', (a) => T.clamp(a, -0.5, 0.5).square(), [x]],
    ['relu', (a) => T.relu(a).square(), [a0]], ['leakyRelu', (a) => T.leakyRelu(a, 0.1).square(), [a0]], ['elu', (a) => T.elu(a), [a0]],
    ['silu', T.silu, [x]], ['softplus beta 2', (a) => T.softplus(a, 2), [x]], ['cast', (a) => a.cast('float64').square(), [x]],
    ['logsumexp over two axes', (a) => T.logsumexp(a, [0, 1]), [x]], ['logsumexp keepdim', (a) => T.logsumexp(a, 1, true), [x]],
    ['sum', (a) => a.square().sum(1), [x]], ['mean', (a) => a.square().mean(0), [x]], ['max', (a) => a.square().max(1), [x]],
    ['min', (a) => a.exp().min(), [x]], ['var', (a) => a.var(1), [x]], ['std', (a) => a.std(1), [x]],
    ['reshape', (a) => a.reshape([3, 2]).square(), [x]], ['transpose', (a) => a.t().matmul(a), [x]],
    ['expand', (a) => a.expand([2, 2, 3]).square(), [x]], ['slice', (a) => a.slice(1, -2, null, 2).square(), [x]],
    ['pad', (a) => a.pad([1, 1]).square(), [x]], ['concat', (a, b) => T.concat([a, b], 0).square(), [x, y]],
    ['flip', (a) => a.flip(1).mul(a), [x]], ['tile', (a) => a.tile([2, 1]).square(), [x]], ['triu', (a) => a.triu().square(), [x]],
    ['gather', (a) => a.gather(1, int([[2, 0], [1, 1]])).square(), [x]],
    ['indexSelect', (a) => a.indexSelect(1, T.tensor([2, 2, 0], { dtype: 'int32' })).square(), [x]],
    ['scatterAdd', (a, b) => a.scatterAdd(1, int([[2, 0, 0]]), b).square(), [x, y]],
    ['pow of negative bases', (a) => a.pow(3), [x]], ['pow of a scalar base', (a) => T.pow(2, a), [x]],
    ['conv1d', (a, w) => T.conv1d(a, w, null, { padding: 1 }).square(), randn64(24, [1, 2, 5], [2, 2, 3])],
    ['conv2d', (a, w, b) => T.conv2d(a, w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 }).square(), randn64(25, [1, 2, 4, 4], [2, 1, 2, 2], [2])],
    ['convTranspose2d', (a, w, b) => T.convTranspose2d(a, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }).square(), randn64(26, [1, 2, 2, 2], [2, 1, 2, 2], [2])],
    ['maxPool2d', (a) => T.maxPool2d(a, 3, { stride: 2, padding: 1 }).square(), randn64(27, [1, 1, 4, 4])],
    ['avgPool2d', (a) => T.avgPool2d(a, 3, { stride: 2, padding: 1 }).square(), randn64(28, [1, 1, 4, 4])],
  ];
  it.each(cases)('%s', (_, f, inputs) => {
    expectGradGradOk(f, inputs);
  });
});

describe('hand-checked higher derivatives', () => {
  it("sigmoid'' = s(1-s)(1-2s)", () => {
    const x = f64([-2, -0.5, 0, 0.3, 1.7]);
    const d2 = grad((t) => grad((u) => u.sigmoid().sum())(t).sum())(x);
    const want = values(x).map((v) => {
      const s = 1 / (1 + Math.exp(-v));
      return s * (1 - s) * (1 - 2 * s);
    });
    expectClose(d2, want, 1e-12);
  });

  it("tanh'' = -2 tanh (1 - tanh²), through grad(outputs, inputs, { createGraph })", () => {
    const x = f64([-1.5, -0.2, 0.4, 2]).requiresGrad_();
    const y = x.tanh();
    const [dy] = gradients(y, x, { gradOutputs: onesLike(y), createGraph: true });
    const [d2] = gradients(dy, x, { gradOutputs: onesLike(dy) });
    expectClose(d2, values(x).map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)), 1e-12);
  });

  it("sin''' = -cos via grad(grad(grad(f)))", () => {
    const x = f64([-2, -0.5, 0, 0.8, 3]);
    const f = (t: typeof x) => t.sin().sum();
    const d1 = grad(f);
    const d2 = grad((t) => d1(t).sum());
    const d3 = grad((t) => d2(t).sum());
    expectClose(d3(x), values(x).map((v) => -Math.cos(v)), 1e-12);
    expectClose(d2(x), values(x).map((v) => -Math.sin(v)), 1e-12);
  });

  it('fourth derivative of exp(2x) is 16 exp(2x)', () => {
    const x = f64([-0.5, 0.25, 1]);
    let g = (t: typeof x) => t.mul(2).exp().sum();
    for (let k = 0; k < 4; k++) {
      const inner = g;
      g = (t) => grad(inner)(t).sum();
    }
    // g is now x ↦ Σ f''''(x); one more grad gives f'''''(x) = 32 exp(2x).
    expect(g(x).item()).toBeCloseTo(values(x).reduce((s, v) => s + 16 * Math.exp(2 * v), 0), 9);
    expectClose(grad(g)(x), values(x).map((v) => 32 * Math.exp(2 * v)), 1e-10);
  });

  it('mixed partial of x²y³ with argnums', () => {
    const x = f64([1.5]);
    const y = f64([-0.7]);
    const f = (a: typeof x, b: typeof x) => a.square().mul(b.pow(3)).sum();
    // ∂²f/∂y∂x = 6xy²
    const dxdy = grad((a, b) => grad(f, 0)(a, b).sum(), 1)(x, y);
    expectClose(dxdy, [6 * 1.5 * 0.49], 1e-12);
  });
});
