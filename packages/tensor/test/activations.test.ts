import { describe, expect, it } from 'vitest';
import {
  ArgumentError, elu, gelu, leakyRelu, logSoftmax, logsumexp, relu, silu, softmax, softplus, tensor,
} from '@plexus/tensor';
import { expectClose, f32, lcg, values } from './helpers.js';

const xs = [-20, -3, -1, -0.5, 0, 0.5, 1, 3, 20];
const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse; use a series/continued fraction good to ~1e-15.
  const t = Math.abs(x);
  if (t < 3) {
    let sum = t;
    let term = t;
    for (let n = 1; n < 200; n++) {
      term *= (-t * t) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
};

describe('activations against host formulas', () => {
  it('relu', () => {
    const y = relu(tensor(xs));
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual(xs.map((v) => Math.max(v, 0)));
    expect(relu(tensor([-1, 2], { dtype: 'int32' })).dtype).toBe('float32');
    expect(relu(tensor([-1, 2], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('leakyRelu with default and custom slope', () => {
    expectClose(leakyRelu(tensor(xs)), xs.map((v) => (v > 0 ? v : 0.01 * v)));
    expectClose(leakyRelu(tensor(xs), 0.2), xs.map((v) => (v > 0 ? v : 0.2 * v)));
  });
  it('elu with alpha; no overflow for large inputs', () => {
    expectClose(elu(tensor(xs)), xs.map((v) => (v > 0 ? v : Math.expm1(v))));
    expectClose(elu(tensor(xs), 2), xs.map((v) => (v > 0 ? v : 2 * Math.expm1(v))));
    expectClose(elu(tensor([1000, -1000])), [1000, -1]);
  });
  it('gelu exact: known values', () => {
    expectClose(gelu(tensor([1], { dtype: 'float64' })), [0.8413447460685429], { atol: 1e-14, rtol: 1e-14 });
    expectClose(gelu(tensor([1])), [0.8413447460685429], { atol: 1e-7 });
    expectClose(gelu(tensor([-1], { dtype: 'float64' })), [-0.15865525393145707], { atol: 1e-14, rtol: 1e-13 });
    const x = lcg(20, 4).map((v) => v * 5);
    expectClose(gelu(tensor(x, { dtype: 'float64' })), x.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), {
      atol: 1e-12,
      rtol: 1e-12,
    });
  });
  it('gelu tanh approximation', () => {
    const approx = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    expectClose(gelu(tensor(xs, { dtype: 'float64' }), 'tanh'), xs.map(approx), { atol: 1e-14, rtol: 1e-13 });
    expectClose(gelu(tensor([1]), 'tanh'), [0.8411919906082768], { atol: 1e-6 });
    expect(() => gelu(tensor([1]), 'fast' as never)).toThrow(ArgumentError);
    expect(() => gelu(tensor([1]), 'fast' as never)).toThrow(/gelu: approximate must be/);
  });
  it('silu', () => {
    expectClose(silu(tensor(xs, { dtype: 'float64' })), xs.map((v) => v * sig(v)), { atol: 1e-14, rtol: 1e-13 });
    expectClose(silu(tensor(xs)), xs.map((v) => v * sig(v)), { atol: 1e-6 });
  });
  it('softplus: values, beta, threshold, and no overflow', () => {
    expectClose(softplus(tensor(xs, { dtype: 'float64' })), xs.map((v) => (v > 20 ? v : Math.log1p(Math.exp(v)))), {
      atol: 1e-14,
      rtol: 1e-13,
    });
    expectClose(softplus(tensor([1000, -1000, 50])), [1000, 0, 50]);
    expect(values(softplus(tensor([1000])))[0]).toBe(1000);
    // beta = 2: log(1 + exp(2x)) / 2, linear once 2x > threshold.
    expectClose(softplus(tensor([-1, 0, 1, 11], { dtype: 'float64' }), 2), [-1, 0, 1].map((v) => Math.log1p(Math.exp(2 * v)) / 2).concat([11]), {
      atol: 1e-14,
      rtol: 1e-13,
    });
    expectClose(softplus(tensor([3], { dtype: 'float64' }), 1, 2), [3], { atol: 0, rtol: 0 });
  });
});

describe('softmax / logSoftmax', () => {
  const rows = [
    [1, 2, 3, 4],
    [-1, 0, 1, 100],
    [5, 5, 5, 5],
  ];
  const ref = (r: number[]) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };
  it('rows sum to 1 and match the host', () => {
    const y = softmax(tensor(rows));
    expect(y.shape).toEqual([3, 4]);
    expectClose(y, rows.map(ref), { atol: 1e-7 });
    expectClose(y.sum(-1), [1, 1, 1], { atol: 1e-6 });
  });
  it('stable for large inputs', () => {
    const e = Math.E;
    expectClose(softmax(tensor([1000, 1001])), [1 / (1 + e), e / (1 + e)], { atol: 1e-7 });
    expectClose(softmax(tensor([-1000, -1001])), [e / (1 + e), 1 / (1 + e)], { atol: 1e-7 });
    expectClose(logSoftmax(tensor([1000, 1001])), [-Math.log1p(e), -Math.log1p(1 / e)], { atol: 1e-5 });
  });
  it('over another dim, and with the method form', () => {
    const x = tensor(rows);
    const y = softmax(x, 0);
    const cols = [0, 1, 2, 3].map((j) => ref(rows.map((r) => r[j])));
    expectClose(y, [0, 1, 2].map((i) => cols.map((c) => c[i])), { atol: 1e-7 });
    expect(values(x.softmax(0))).toEqual(values(y));
    expect(values(x.softmax())).toEqual(values(softmax(x, -1)));
  });
  it('-inf entries get probability 0; an all -inf row is NaN (as in PyTorch)', () => {
    expectClose(softmax(tensor([-Infinity, 0, 0])), [0, 0.5, 0.5]);
    expectClose(softmax(tensor([-Infinity, -Infinity])), [NaN, NaN]);
    expectClose(logSoftmax(tensor([-Infinity, 0])), [-Infinity, 0]);
  });
  it('logSoftmax = log(softmax), exp of it sums to 1', () => {
    const x = tensor(rows, { dtype: 'float64' });
    expectClose(logSoftmax(x), rows.map((r) => ref(r).map(Math.log)), { atol: 1e-12 });
    expectClose(logSoftmax(x).exp().sum(1), [1, 1, 1], { atol: 1e-12 });
  });
  it('int input gives float32; dtype float64 kept', () => {
    expect(softmax(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
    expect(softmax(tensor([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('bad dim names the op', () => {
    expect(() => softmax(tensor([[1, 2]]), 2)).toThrow(/softmax: axis 2 is out of range for a tensor of rank 2/);
  });
  it('empty input', () => {
    expect(softmax(tensor([], [0, 3])).shape).toEqual([0, 3]);
  });
});

describe('logsumexp', () => {
  const data = lcg(24, 2).map((v) => v * 3);
  const x = tensor(data, [2, 3, 4], { dtype: 'float64' });
  const lse = (vs: number[]) => {
    const m = Math.max(...vs);
    return m + Math.log(vs.reduce((a, v) => a + Math.exp(v - m), 0));
  };
  const at = (i: number, j: number, k: number) => data[i * 12 + j * 4 + k];

  it('over one axis, with negative axis and keepdim', () => {
    const y = logsumexp(x, -1);
    expect(y.shape).toEqual([2, 3]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) want.push(lse([0, 1, 2, 3].map((k) => at(i, j, k))));
    expectClose(y, want, { atol: 1e-12 });
    expectClose(logsumexp(x, 2, true), want, { shape: [2, 3, 1], atol: 1e-12 });
    expectClose(x.logsumexp(1), [0, 1].flatMap((i) => [0, 1, 2, 3].map((k) => lse([0, 1, 2].map((j) => at(i, j, k))))), {
      shape: [2, 4],
      atol: 1e-12,
    });
  });
  it('over several axes and all axes', () => {
    const y = logsumexp(x, [0, 2]);
    expect(y.shape).toEqual([3]);
    expectClose(y, [0, 1, 2].map((j) => lse([0, 1].flatMap((i) => [0, 1, 2, 3].map((k) => at(i, j, k))))), { atol: 1e-12 });
    expectClose(logsumexp(x, [0, 2], true), values(y), { shape: [1, 3, 1], atol: 1e-12 });
    const all = logsumexp(x);
    expect(all.shape).toEqual([]);
    expectClose(all, [lse(data)], { atol: 1e-12 });
  });
  it('stable for large values; -inf rows give -inf; +inf gives +inf', () => {
    expectClose(logsumexp(tensor([1000, 1000])), [f32(1000 + Math.LN2)], { atol: 1e-4 });
    expectClose(logsumexp(tensor([-1000, -1000])), [f32(-1000 + Math.LN2)], { atol: 1e-4 });
    const y = logsumexp(tensor([[-Infinity, -Infinity], [0, -Infinity]]), 1);
    expectClose(y, [-Infinity, 0]);
    expectClose(logsumexp(tensor([Infinity, 1])), [Infinity]);
  });
  it('an empty reduction is -inf', () => {
    expectClose(logsumexp(tensor([], [2, 0]), 1), [-Infinity, -Infinity], { shape: [2] });
  });
});
