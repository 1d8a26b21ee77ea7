import { describe, expect, it } from 'vitest';
import { RMSprop } from '../src/index.js';
import { expectClose, param, run, values } from './helpers.js';

interface Ref {
  lr: number;
  alpha: number;
  eps: number;
  wd?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/**
 * RMSprop as torch documents it, in plain JS numbers: v ← αv + (1 − α)g²; centered keeps
 * a ← αa + (1 − α)g and uses v − a²; the denominator is √(·) + eps (eps after the root);
 * momentum b ← μb + g/denominator and p ← p − lr·b, else p ← p − lr·g/denominator.
 */
function rmspropRef(p0: number[], grads: number[][], o: Ref): number[][] {
  const p = [...p0];
  const v = p.map(() => 0);
  const a = p.map(() => 0);
  const b = p.map(() => 0);
  const mu = o.momentum ?? 0;
  return grads.map((grad) => {
    for (let j = 0; j < p.length; j++) {
      let g = o.maximize ? -grad[j] : grad[j];
      g += (o.wd ?? 0) * p[j];
      v[j] = o.alpha * v[j] + (1 - o.alpha) * g * g;
      a[j] = o.alpha * a[j] + (1 - o.alpha) * g;
      const denom = Math.sqrt(o.centered ? v[j] - a[j] * a[j] : v[j]) + o.eps;
      if (mu > 0) {
        b[j] = mu * b[j] + g / denom;
        p[j] -= o.lr * b[j];
      } else {
        p[j] -= (o.lr * g) / denom;
      }
    }
    return [...p];
  });
}

const grads = [[0.5, -2, 3], [1, -1, -0.5], [-0.25, 4, 0.1], [2, 0.3, 1]];
const p0 = [1, -0.5, 2];

describe('RMSprop', () => {
  it('first step by hand: v = (1 − α)g² = 0.04 for g = 2, α = 0.99', () => {
    const p = param([1]);
    run(new RMSprop([p], { lr: 0.01 }), p, [[2]]);
    expectClose(values(p), [1 - (0.01 * 2) / (0.2 + 1e-8)]);
  });

  it('centered first step by hand: √(v − a²) with a = (1 − α)g', () => {
    const p = param([1]);
    run(new RMSprop([p], { lr: 0.01, centered: true }), p, [[2]]);
    const v = 0.01 * 4;
    const a = 0.01 * 2;
    expectClose(values(p), [1 - (0.01 * 2) / (Math.sqrt(v - a * a) + 1e-8)]);
  });

  it('matches the rule over four steps (defaults)', () => {
    const p = param(p0);
    const got = run(new RMSprop([p]), p, grads);
    const want = rmspropRef(p0, grads, { lr: 1e-2, alpha: 0.99, eps: 1e-8 });
    got.forEach((row, i) => expectClose(row, want[i]));
  });

  it('momentum, weight decay and a different alpha', () => {
    const p = param(p0);
    const got = run(new RMSprop([p], { lr: 0.02, alpha: 0.9, momentum: 0.8, weightDecay: 0.1, eps: 1e-6 }), p, grads);
    const want = rmspropRef(p0, grads, { lr: 0.02, alpha: 0.9, momentum: 0.8, wd: 0.1, eps: 1e-6 });
    got.forEach((row, i) => expectClose(row, want[i]));
  });

  it('centered with momentum and maximize', () => {
    const p = param(p0);
    const got = run(new RMSprop([p], { lr: 0.01, centered: true, momentum: 0.5, maximize: true }), p, grads);
    const want = rmspropRef(p0, grads, { lr: 0.01, alpha: 0.99, eps: 1e-8, centered: true, momentum: 0.5, maximize: true });
    got.forEach((row, i) => expectClose(row, want[i]));
    const plain = rmspropRef(p0, grads, { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0.5, maximize: true });
    expect(Math.abs(plain[3][0] - want[3][0])).toBeGreaterThan(1e-3);
  });

  it('keeps the state it needs', () => {
    const p = param([1]);
    const opt = new RMSprop([p], { centered: true, momentum: 0.9 });
    run(opt, p, [[1]]);
    expect(Object.keys(opt.state.get(p) ?? {}).sort()).toEqual(['gradAvg', 'momentumBuffer', 'squareAvg', 'step']);
  });

  it('rejects bad options with errors naming RMSprop', () => {
    const p = param([1]);
    expect(() => new RMSprop([p], { alpha: -0.1 })).toThrow('RMSprop: alpha must be >= 0, got -0.1');
    expect(() => new RMSprop([p], { eps: -1 })).toThrow('RMSprop: eps must be >= 0, got -1');
    expect(() => new RMSprop([p], { momentum: -1 })).toThrow('RMSprop: momentum must be >= 0, got -1');
    expect(() => new RMSprop([p], { lr: -1 })).toThrow('RMSprop: lr must be >= 0, got -1');
  });
});
