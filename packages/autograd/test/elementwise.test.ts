import { describe, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import {
  abs, add, cast, clamp, cos, div, erf, exp, expm1, log, log1p, maximum, minimum, mul, neg, pow, reciprocal, rsqrt,
  sigmoid, sin, sqrt, square, sub, tanh, where,
} from '@plexus/tensor';
import { awayFromZero, expectGradOk, f64, positive, randn64 } from './helpers.js';

describe('unary ops pass gradCheck', () => {
  const anywhere: [string, (x: Tensor) => Tensor][] = [
    ['neg', neg], ['exp', exp], ['expm1', expm1], ['sin', sin], ['cos', cos], ['tanh', tanh],
    ['sigmoid', sigmoid], ['erf', erf], ['square', square],
  ];
  it.each(anywhere)('%s', (_, op) => {
    const [x] = randn64(1, [3, 4]);
    expectGradOk(op, [x]);
  });

  const positiveOnly: [string, (x: Tensor) => Tensor][] = [
    ['log', log], ['log1p', log1p], ['sqrt', sqrt], ['rsqrt', rsqrt],
  ];
  it.each(positiveOnly)('%s (positive inputs)', (_, op) => {
    expectGradOk(op, [positive(2, [3, 4])]);
  });

  it('log1p near -1 < x < 0', () => {
    expectGradOk(log1p, [f64([-0.9, -0.5, -0.1, 0.3])]);
  });

  it('abs away from 0', () => {
    expectGradOk(abs, [awayFromZero(3, [3, 4])]);
  });

  it('reciprocal away from 0', () => {
    expectGradOk(reciprocal, [awayFromZero(4, [3, 4], 0.5)]);
  });

  it('methods chained', () => {
    const [x] = randn64(5, [2, 3]);
    expectGradOk((t) => t.mul(1.5).sin().exp().add(t.square()).tanh(), [x]);
  });
});

describe('binary ops pass gradCheck, both operands requiring grad', () => {
  const ops: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['add', add], ['sub', sub], ['mul', mul], ['div', div], ['maximum', maximum], ['minimum', minimum],
  ];
  // [3,1]x[1,4], scalar x tensor (both ways), rank mismatch [4] x [2,3,4], equal shapes.
  const shapes: [string, number[], number[]][] = [
    ['same shape', [2, 3], [2, 3]],
    ['[3,1] x [1,4]', [3, 1], [1, 4]],
    ['[] x [2,3]', [], [2, 3]],
    ['[2,3] x []', [2, 3], []],
    ['[4] x [2,3,4]', [4], [2, 3, 4]],
    ['[2,3,4] x [4]', [2, 3, 4], [4]],
  ];
  for (const [name, op] of ops) {
    it.each(shapes)(`${name}: %s`, (_, sa, sb) => {
      const [a, b0] = randn64(10, sa, sb);
      // Keep divisors away from 0; maximum/minimum have no ties with random draws.
      const b = name === 'div' ? b0.abs().add(0.5).mul(b0.sign()) : b0;
      expectGradOk(op, [a, b]);
    });
  }

  it('method form with a number on the right', () => {
    const [a] = randn64(11, [2, 3]);
    expectGradOk((t) => t.add(2).sub(1).mul(3).div(4).maximum(0.1).minimum(0.9), [a.mul(0.2).add(0.5)]);
  });
});

describe('pow', () => {
  it('tensor exponent, both operands requiring grad', () => {
    const a = positive(20, [2, 3]);
    const [b] = randn64(21, [2, 3]);
    expectGradOk(pow, [a, b]);
  });

  it('tensor exponent with broadcasting [3,1] ^ [1,4]', () => {
    const a = positive(22, [3, 1]);
    const [b] = randn64(23, [1, 4]);
    expectGradOk(pow, [a, b]);
  });

  it('scalar exponents', () => {
    const a = positive(24, [2, 3]);
    expectGradOk((x) => pow(x, 2), [a]);
    expectGradOk((x) => pow(x, 3), [a]);
    expectGradOk((x) => pow(x, 0.5), [a]);
    expectGradOk((x) => pow(x, -1.5), [a]);
    expectGradOk((x) => x.pow(2.5), [a]);
  });

  it('integer exponent on negative bases', () => {
    const [a] = randn64(25, [2, 3]);
    expectGradOk((x) => pow(x, 3), [a]);
    expectGradOk((x) => pow(x, 2), [a]);
  });

  it('scalar base, tensor exponent', () => {
    const [b] = randn64(26, [2, 3]);
    expectGradOk((x) => pow(2, x), [b]);
  });
});

describe('clamp, where, cast', () => {
  it('clamp with both bounds (values away from the bounds)', () => {
    const x = f64([[-2, -0.7, -0.3, 0.1], [0.4, 0.6, 1.2, 3]]);
    expectGradOk((t) => clamp(t, -0.5, 0.5), [x]);
    expectGradOk((t) => t.clamp(-0.5, null), [x]);
    expectGradOk((t) => t.clamp(null, 0.5), [x]);
  });

  it('where with broadcasting and both branches requiring grad', () => {
    const [a, b] = randn64(30, [3, 1], [1, 4]);
    const cond = f64([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]).gt(0.5);
    expectGradOk((p, q) => where(cond, p, q), [a, b]);
  });

  it('where with a number branch', () => {
    const [a] = randn64(31, [3, 4]);
    expectGradOk((p) => where(p.gt(0), p.mul(p), 0.5), [a]);
  });

  it('cast float64 -> float64', () => {
    const [a] = randn64(32, [2, 3]);
    expectGradOk((p) => cast(p, 'float64').mul(p), [a]);
    expectGradOk((p) => p.double().sin(), [a]);
  });
});
