import { UNARY_OPS } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { erf } from '../src/erf.js';
import { f32, run, t } from './helpers.js';

/** erf(x) to double precision, computed with 40-digit arithmetic (mpmath). */
const ERF_TABLE: [number, number][] = [
  [0, 0.0],
  [1e-8, 1.1283791670955126e-8],
  [0.1, 0.1124629160182849],
  [0.25, 0.27632639016823696],
  [0.5, 0.5204998778130465],
  [0.84375, 0.7672256612323416],
  [1, 0.8427007929497149],
  [1.25, 0.9229001282564583],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.4, 0.999311486103355],
  [2.5, 0.999593047982555],
  [2.6, 0.9997639655834707],
  [3, 0.9999779095030014],
  [3.5, 0.9999992569016276],
  [4, 0.9999999845827421],
  [5, 0.9999999999984626],
  [5.9, 0.9999999999999999],
  [6.5, 1.0],
  [-0.3, -0.3286267594591274],
  [-1.7, -0.9837904585907745],
  [-2.55, -0.9996893396573608],
  [-4.2, -0.9999999971445058],
];

describe('unary', () => {
  const xs = [-2.5, -1, -0.5, 0, 0.5, 1.5, 3];

  it('matches Math for float64, each op', () => {
    const expected: Record<string, (x: number) => number> = {
      neg: (x) => -x, abs: Math.abs, exp: Math.exp, expm1: Math.expm1, sin: Math.sin, cos: Math.cos,
      tanh: Math.tanh, floor: Math.floor, ceil: Math.ceil, sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    };
    for (const [op, f] of Object.entries(expected)) {
      const got = run(op as 'neg', [t(xs, [7], 'float64')], {}, [7], 'float64');
      got.forEach((v, i) => expect(v).toBeCloseTo(f(xs[i]), 14));
    }
    const pos = [0.25, 1, 4, 9];
    expect(run('sqrt', [t(pos, [4], 'float64')], {}, [4], 'float64')).toEqual([0.5, 1, 2, 3]);
    expect(run('rsqrt', [t(pos, [4], 'float64')], {}, [4], 'float64')).toEqual([2, 1, 0.5, 1 / 3]);
    expect(run('log', [t([1, Math.E, 0, -1], [4], 'float64')], {}, [4], 'float64')).toEqual([0, 1, -Infinity, NaN]);
    expect(run('log1p', [t([0, 1e-20], [2], 'float64')], {}, [2], 'float64')).toEqual([0, 1e-20]);
  });

  it('every unary op runs on float32, rounding the double result once', () => {
    for (const op of UNARY_OPS) {
      const got = run(op, [t([0.3, 1.7], [2])], {}, [2], 'float32');
      got.forEach((v) => expect(v).toBe(f32(v)));
    }
    expect(run('exp', [t([1], [1])], {}, [1], 'float32')).toEqual([f32(Math.E)]);
  });

  it('sign: sign(0) = 0, NaN stays NaN, ints too', () => {
    expect(run('sign', [t([-3, 0, 2, NaN], [4])], {}, [4], 'float32')).toEqual([-1, 0, 1, NaN]);
    expect(run('sign', [t([-7, 0, 9], [3], 'int32')], {}, [3], 'int32')).toEqual([-1, 0, 1]);
  });

  it('round is half to even', () => {
    const x = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 1e20];
    expect(run('round', [t(x, [10], 'float64')], {}, [10], 'float64')).toEqual([0, 2, 2, -0, -2, -2, 2, 3, -3, 1e20]);
  });

  it('sigmoid is finite and exact at the extremes', () => {
    const got = run('sigmoid', [t([-1000, -40, 0, 40, 1000], [5], 'float64')], {}, [5], 'float64');
    expect(got[0]).toBe(0);
    expect(got[1]).toBeCloseTo(Math.exp(-40), 30);
    expect(got[1]).toBeGreaterThan(0);
    expect(got.slice(2)).toEqual([0.5, 1, 1]);
  });

  it('erf is accurate to 1e-15 across the range (float64)', () => {
    const x = ERF_TABLE.map(([v]) => v);
    const got = run('erf', [t(x, [x.length], 'float64')], {}, [x.length], 'float64');
    got.forEach((v, i) => expect(Math.abs(v - ERF_TABLE[i][1])).toBeLessThan(1e-15));
    expect(erf(NaN)).toBeNaN();
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Object.is(erf(-0), -0)).toBe(true);
  });

  it('erf is odd and monotone on a fine grid', () => {
    let prev = -1;
    for (let x = -7; x <= 7; x += 0.001) {
      const v = erf(x);
      expect(v).toBe(-erf(-x));
      expect(v).toBeGreaterThanOrEqual(prev - 1e-16);
      prev = v;
    }
  });

  it('int32 neg and abs wrap like two\'s complement', () => {
    const x = t([-(2 ** 31), 5, -5], [3], 'int32');
    expect(run('neg', [x], {}, [3], 'int32')).toEqual([-(2 ** 31), -5, 5]);
    expect(run('abs', [x], {}, [3], 'int32')).toEqual([-(2 ** 31), 5, 5]);
  });

  it('bool neg/abs/sign keep "x != 0"', () => {
    const x = t([true, false], [2], 'bool');
    for (const op of ['neg', 'abs', 'sign'] as const) expect(run(op, [x], {}, [2], 'bool')).toEqual([1, 0]);
  });

  it('works on scalars and zero-size tensors', () => {
    expect(run('exp', [t([0], [])], {}, [], 'float32')).toEqual([1]);
    expect(run('exp', [t([], [0, 4])], {}, [0, 4], 'float32')).toEqual([]);
  });
});
