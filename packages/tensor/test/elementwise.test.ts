import { describe, expect, it } from 'vitest';
import * as P from '@plexus/tensor';
import {
  ArgumentError, abs, add, ceil, clamp, div, exp, floor, isFinite, isNaN, logicalAnd, logicalNot, logicalOr, maximum,
  minimum, mul, neg, pow, reciprocal, round, sign, square, sub, tensor,
} from '@plexus/tensor';
import { expectClose, f32, lcg, values } from './helpers.js';

const xs = [-3.5, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3.5];
const pos = [1e-6, 0.1, 0.5, 1, 2, 10, 100];

type UnaryName = 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'abs' | 'neg';
const HOST: Record<UnaryName, { f: (x: number) => number; domain: number[] }> = {
  exp: { f: Math.exp, domain: xs },
  log: { f: Math.log, domain: pos },
  log1p: { f: Math.log1p, domain: [-0.5, -1e-7, 0, 1e-7, 0.5, 3] },
  expm1: { f: Math.expm1, domain: [-2, -1e-7, 0, 1e-7, 0.5, 3] },
  sqrt: { f: Math.sqrt, domain: [0, ...pos] },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), domain: pos },
  sin: { f: Math.sin, domain: xs },
  cos: { f: Math.cos, domain: xs },
  tanh: { f: Math.tanh, domain: [...xs, 20, -20] },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), domain: [...xs, 30, -30] },
  abs: { f: Math.abs, domain: xs },
  neg: { f: (x) => -x, domain: xs },
};

describe('unary math against Math.* on the host', () => {
  for (const [name, { f, domain }] of Object.entries(HOST) as [UnaryName, (typeof HOST)[UnaryName]][]) {
    it(`${name} (float32 and float64)`, () => {
      const op = P[name] as (x: P.Tensor) => P.Tensor;
      const x32 = tensor(domain);
      const y32 = op(x32);
      expect(y32.dtype).toBe('float32');
      expect(y32.shape).toEqual([domain.length]);
      expectClose(y32, domain.map((v) => f(f32(v))), { atol: 1e-7, rtol: 1e-6 });
      const x64 = tensor(domain, { dtype: 'float64' });
      const y64 = op(x64);
      expect(y64.dtype).toBe('float64');
      expectClose(y64, domain.map(f), { atol: 1e-15, rtol: 1e-14 });
      // The method form agrees with the function.
      expect(values((x32 as unknown as Record<UnaryName, () => P.Tensor>)[name]())).toEqual(values(y32));
    });
  }

  it('erf matches reference values', () => {
    const x = [-3, -1, -0.5, 0, 0.5, 1, 2, 3];
    const want = [
      -0.9999779095030014, -0.8427007929497149, -0.5204998778130465, 0, 0.5204998778130465, 0.8427007929497149,
      0.9953222650189527, 0.9999779095030014,
    ];
    expectClose(P.erf(tensor(x, { dtype: 'float64' })), want, { atol: 1e-12, rtol: 1e-12 });
    expectClose(P.erf(tensor(x)), want, { atol: 1e-6, rtol: 1e-6 });
  });

  it('edge values: log(0) = -inf, log(-1) = NaN, sqrt(-1) = NaN, rsqrt(0) = inf, exp(-inf) = 0', () => {
    expectClose(P.log(tensor([0, -1])), [-Infinity, NaN]);
    expectClose(P.sqrt(tensor([-1])), [NaN]);
    expectClose(P.rsqrt(tensor([0])), [Infinity]);
    expectClose(exp(tensor([-Infinity, Infinity])), [0, Infinity]);
    expectClose(P.sigmoid(tensor([-Infinity, Infinity])), [0, 1]);
  });

  it('log1p and expm1 are accurate near zero', () => {
    const y = P.log1p(tensor([1e-10], { dtype: 'float64' }));
    expect(Math.abs(values(y)[0] - 1e-10) / 1e-10).toBeLessThan(1e-9);
    const z = P.expm1(tensor([1e-10], { dtype: 'float64' }));
    expect(Math.abs(values(z)[0] - 1e-10) / 1e-10).toBeLessThan(1e-9);
  });

  it('float-only ops promote int and bool inputs to float32', () => {
    const y = exp(tensor([0, 1], { dtype: 'int32' }));
    expect(y.dtype).toBe('float32');
    expectClose(y, [1, Math.E]);
    expect(P.sqrt(tensor([true, false])).dtype).toBe('float32');
    expect(values(P.sqrt(tensor([4, 9], { dtype: 'int32' })))).toEqual([2, 3]);
  });

  it('neg / abs / sign keep int32, and bool becomes int32', () => {
    const i = tensor([-3, 0, 4], { dtype: 'int32' });
    expect(neg(i).dtype).toBe('int32');
    expect(values(neg(i))).toEqual([3, 0, -4]);
    expect(values(abs(i))).toEqual([3, 0, 4]);
    expect(values(sign(i))).toEqual([-1, 0, 1]);
    expect(neg(tensor([true, false])).dtype).toBe('int32');
    expect(values(neg(tensor([true, false])))).toEqual([-1, 0]);
  });
});

describe('sign and rounding', () => {
  it('sign of floats, zero and NaN', () => {
    expectClose(sign(tensor([-2.5, -0, 0, 3, NaN])), [-1, 0, 0, 1, NaN]);
  });
  it('floor and ceil', () => {
    const x = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2.7];
    expect(values(floor(tensor(x)))).toEqual(x.map(Math.floor).map((v) => v + 0));
    expect(values(ceil(tensor(x))).map((v) => v + 0)).toEqual(x.map(Math.ceil).map((v) => v + 0));
  });
  it('round is half to even', () => {
    const y = round(tensor([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 0.49999997]));
    expect(values(y).map((v) => v + 0)).toEqual([0, 2, 2, 4, 0, -2, -2, 2, 3, -3, 0]);
    expect(Object.is(values(round(tensor([-0.5])))[0], -0)).toBe(true);
  });
  it('rounding an int tensor is the identity (dtype kept)', () => {
    const i = tensor([1, -2], { dtype: 'int32' });
    expect(floor(i).dtype).toBe('int32');
    expect(values(round(i))).toEqual([1, -2]);
    expect(values(ceil(i))).toEqual([1, -2]);
  });
});

describe('binary arithmetic', () => {
  const a = lcg(12, 3).map((v) => v * 4);
  const b = lcg(12, 9).map((v) => v * 4 + 5); // positive, away from 0
  const A = tensor(a, [3, 4]);
  const B = tensor(b, [3, 4]);
  const fa = a.map(f32);
  const fb = b.map(f32);

  it('add / sub / mul / div match the host, elementwise', () => {
    expectClose(add(A, B), fa.map((v, i) => v + fb[i]), { shape: [3, 4] });
    expectClose(sub(A, B), fa.map((v, i) => v - fb[i]));
    expectClose(mul(A, B), fa.map((v, i) => v * fb[i]));
    expectClose(div(A, B), fa.map((v, i) => v / fb[i]));
    expectClose(A.add(1), fa.map((v) => v + 1));
    expectClose(A.sub(B).add(B), fa, { atol: 1e-6 });
  });
  it('numbers on the left work too', () => {
    expectClose(sub(1, A), fa.map((v) => 1 - v));
    expectClose(div(1, B), fb.map((v) => 1 / v));
    expectClose(reciprocal(B), fb.map((v) => 1 / v));
    expectClose(square(A), fa.map((v) => v * v));
  });
  it('float division by zero follows IEEE', () => {
    expectClose(div(tensor([1, -1, 0]), 0), [Infinity, -Infinity, NaN]);
  });
  it('pow: float, int, negative bases, tensors and numbers', () => {
    expectClose(pow(B, 0.5), fb.map((v) => Math.sqrt(v)));
    expectClose(pow(tensor([2, 3, -2]), tensor([3, 0.5, 2])), [8, Math.sqrt(3), 4]);
    expectClose(pow(tensor([-8]), 1 / 3), [NaN]);
    const ip = pow(tensor([2, -3, 5], { dtype: 'int32' }), 3);
    expect(ip.dtype).toBe('int32');
    expect(values(ip)).toEqual([8, -27, 125]);
    expect(pow(tensor([2], { dtype: 'int32' }), 0.5).dtype).toBe('float32');
    expectClose(pow(2, tensor([0, 1, 10])), [1, 2, 1024]);
    expectClose(pow(tensor([1]), NaN), [1]);
  });
  it('maximum / minimum, with NaN propagating', () => {
    expectClose(maximum(A, B), fa.map((v, i) => Math.max(v, fb[i])));
    expectClose(minimum(A, B), fa.map((v, i) => Math.min(v, fb[i])));
    expectClose(maximum(tensor([1, NaN, 3]), tensor([NaN, 2, 1])), [NaN, NaN, 3]);
    expectClose(minimum(tensor([1, NaN, 3]), 2), [1, NaN, 2]);
    expect(maximum(tensor([1, 5], { dtype: 'int32' }), 3).dtype).toBe('int32');
    expect(values(maximum(tensor([1, 5], { dtype: 'int32' }), 3))).toEqual([3, 5]);
  });
  it('int32 arithmetic stays exact', () => {
    const i = tensor([100000, -7, 3], { dtype: 'int32' });
    expect(values(mul(i, 3))).toEqual([300000, -21, 9]);
    expect(values(sub(i, tensor([1, 1, 1], { dtype: 'int32' })))).toEqual([99999, -8, 2]);
  });
  it('non-tensor operands are rejected with the op name', () => {
    expect(() => add('x' as never, 1)).toThrow(ArgumentError);
    expect(() => add('x' as never, 1)).toThrow(/add: expected a Tensor or a number, got string/);
    expect(() => exp(null as never)).toThrow(/exp: expected input to be a Tensor, got null/);
  });
});

describe('clamp', () => {
  const x = tensor([-3, -1, 0, 0.5, 2, 7]);
  it('both bounds, one bound, none', () => {
    expect(values(clamp(x, -1, 2))).toEqual([-1, -1, 0, 0.5, 2, 2]);
    expect(values(clamp(x, 0))).toEqual([0, 0, 0, 0.5, 2, 7]);
    expect(values(clamp(x, null, 0))).toEqual([-3, -1, 0, 0, 0, 0]);
    expect(values(x.clamp())).toEqual(values(x));
    expect(clamp(x, -1, 2).dtype).toBe('float32');
  });
  it('keeps int32 and propagates NaN', () => {
    const y = clamp(tensor([-5, 0, 5], { dtype: 'int32' }), -1, 1);
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual([-1, 0, 1]);
    expectClose(clamp(tensor([NaN, 5]), 0, 1), [NaN, 1]);
  });
});

describe('logical and predicates', () => {
  const p = tensor([true, true, false, false]);
  const q = tensor([true, false, true, false]);
  it('not / and / or', () => {
    expect(logicalNot(p).dtype).toBe('bool');
    expect(values(logicalNot(p))).toEqual([0, 0, 1, 1]);
    expect(values(logicalAnd(p, q))).toEqual([1, 0, 0, 0]);
    expect(values(logicalOr(p, q))).toEqual([1, 1, 1, 0]);
    expect(logicalAnd(p, q).dtype).toBe('bool');
    expect(values(logicalNot(tensor([0, 2.5, -1])))).toEqual([1, 0, 0]);
    expect(values(p.logicalAnd(tensor([1, 0, 1, 0])))).toEqual([1, 0, 0, 0]);
  });
  it('isNaN / isFinite', () => {
    const x = tensor([1, NaN, Infinity, -Infinity, 0]);
    expect(values(isNaN(x))).toEqual([0, 1, 0, 0, 0]);
    expect(values(isFinite(x))).toEqual([1, 0, 0, 0, 1]);
    expect(values(isFinite(tensor([1, 2], { dtype: 'int32' })))).toEqual([1, 1]);
    expect(isNaN(x).dtype).toBe('bool');
  });
});
