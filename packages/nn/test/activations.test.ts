import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';
import type { UnaryModule } from '../src/index.js';
import { ELU, Flatten, GELU, Identity, LeakyReLU, LogSoftmax, ReLU, SiLU, Sigmoid, Softmax, Softplus, Tanh } from '../src/index.js';
import { awayFromZero, expectClose, expectInputGradOk, f64 } from './helpers.js';

const x = f64([[-2, -0.5, 0.25], [1, 3, -1]]);
const xs = [-2, -0.5, 0.25, 1, 3, -1];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const erf = (v: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse; use the series, exact to double precision for |v| < 3.
  let sum = 0;
  let term = v;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-v * v) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};

const rowSoftmax = (row: number[]) => {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

const cases: [string, UnaryModule, number[]][] = [
  ['ReLU', new ReLU(), xs.map((v) => Math.max(v, 0))],
  ['LeakyReLU', new LeakyReLU(0.2), xs.map((v) => (v > 0 ? v : 0.2 * v))],
  ['ELU', new ELU(1.5), xs.map((v) => (v > 0 ? v : 1.5 * (Math.exp(v) - 1)))],
  ['GELU', new GELU(), xs.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)))],
  ['GELU tanh', new GELU('tanh'), xs.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))))],
  ['SiLU', new SiLU(), xs.map((v) => v * sig(v))],
  ['Sigmoid', new Sigmoid(), xs.map(sig)],
  ['Tanh', new Tanh(), xs.map(Math.tanh)],
  ['Softmax', new Softmax(), [...rowSoftmax(xs.slice(0, 3)), ...rowSoftmax(xs.slice(3))]],
  ['LogSoftmax', new LogSoftmax(-1), [...rowSoftmax(xs.slice(0, 3)), ...rowSoftmax(xs.slice(3))].map(Math.log)],
  ['Softplus', new Softplus({ beta: 2 }), xs.map((v) => Math.log1p(Math.exp(2 * v)) / 2)],
];

describe('activation modules', () => {
  for (const [name, m, want] of cases) {
    it(`${name} matches its formula and passes gradCheck`, () => {
      expectClose(m.forward(x), want, 1e-12);
      expectInputGradOk((t: Tensor) => m.forward(t), [awayFromZero(1, [2, 3])]);
    });
  }

  it('Softmax along dim 0', () => {
    const cols = [0, 1, 2].map((j) => rowSoftmax([xs[j], xs[3 + j]]));
    expectClose(new Softmax(0).forward(x), [cols[0][0], cols[1][0], cols[2][0], cols[0][1], cols[1][1], cols[2][1]], 1e-12);
  });

  it('validate their arguments', () => {
    expect(() => new GELU('fast' as never)).toThrow(ArgumentError);
    expect(() => new LeakyReLU(NaN)).toThrow(ArgumentError);
    expect(() => new Softplus({ beta: 0 })).toThrow(ArgumentError);
    expect(() => new Softmax(0.5)).toThrow(ArgumentError);
  });
});

describe('Flatten and Identity', () => {
  it('Flatten keeps the batch dim by default', () => {
    const t = f64([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(new Flatten().forward(t).shape).toEqual([2, 4]);
    expect(new Flatten(0).forward(t).shape).toEqual([8]);
    expect(new Flatten(0, 1).forward(t).shape).toEqual([4, 2]);
    expectInputGradOk((v: Tensor) => new Flatten().forward(v), [awayFromZero(2, [2, 2, 2])]);
  });

  it('Identity returns its input', () => {
    expect(new Identity().forward(x)).toBe(x);
    expectInputGradOk((v: Tensor) => new Identity().forward(v), [awayFromZero(3, [2, 2])]);
  });
});
