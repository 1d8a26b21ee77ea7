import { describe, expect, it } from 'vitest';
import { Adagrad } from '../src/index.js';
import { expectClose, param, run, values } from './helpers.js';

interface Ref {
  lr: number;
  lrDecay?: number;
  wd?: number;
  init?: number;
  eps: number;
  maximize?: boolean;
}

/** Adagrad as torch documents it: clr = lr/(1 + (t − 1)·lrDecay), s ← s + g², p ← p − clr·g/(√s + eps). */
function adagradRef(p0: number[], grads: number[][], o: Ref): number[][] {
  const p = [...p0];
  const s = p.map(() => o.init ?? 0);
  return grads.map((grad, k) => {
    const clr = o.lr / (1 + k * (o.lrDecay ?? 0));
    for (let j = 0; j < p.length; j++) {
      const g = (o.maximize ? -grad[j] : grad[j]) + (o.wd ?? 0) * p[j];
      s[j] += g * g;
      p[j] -= (clr * g) / (Math.sqrt(s[j]) + o.eps);
    }
    return [...p];
  });
}

const grads = [[0.5, -2, 3], [1, -1, -0.5], [-0.25, 4, 0.1], [2, 0.3, 1]];
const p0 = [1, -0.5, 2];

describe('Adagrad', () => {
  it('two steps by hand with lrDecay and an initial accumulator', () => {
    const p = param([1]);
    run(new Adagrad([p], { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 1, eps: 0 }), p, [[3], [4]]);
    // s = 1 + 9 = 10 → p = 1 − 0.1·3/√10;  s = 26, clr = 0.1/1.5 → p −= (0.1/1.5)·4/√26
    expectClose(values(p), [1 - (0.1 * 3) / Math.sqrt(10) - ((0.1 / 1.5) * 4) / Math.sqrt(26)]);
  });

  it('first step with defaults moves by lr·sign(g) (up to eps)', () => {
    const p = param([1, 1]);
    run(new Adagrad([p]), p, [[2, -3]]);
    expectClose(values(p), [1 - (0.01 * 2) / (2 + 1e-10), 1 + (0.01 * 3) / (3 + 1e-10)]);
  });

  it('matches the rule with weight decay, lrDecay and maximize over four steps', () => {
    const p = param(p0);
    const opt = new Adagrad([p], { lr: 0.2, lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.5, maximize: true });
    const got = run(opt, p, grads);
    const want = adagradRef(p0, grads, { lr: 0.2, lrDecay: 0.1, wd: 0.05, init: 0.5, eps: 1e-10, maximize: true });
    got.forEach((row, i) => expectClose(row, want[i]));
    expect(opt.state.get(p)?.step).toBe(4);
  });

  it('rejects bad options with errors naming Adagrad', () => {
    const p = param([1]);
    expect(() => new Adagrad([p], { lrDecay: -1 })).toThrow('Adagrad: lrDecay must be >= 0, got -1');
    expect(() => new Adagrad([p], { initialAccumulatorValue: -1 })).toThrow('Adagrad: initialAccumulatorValue must be >= 0, got -1');
    expect(() => new Adagrad([p], { eps: -1 })).toThrow('Adagrad: eps must be >= 0, got -1');
    expect(() => new Adagrad([p], { weightDecay: -1 })).toThrow('Adagrad: weightDecay must be >= 0, got -1');
  });
});
