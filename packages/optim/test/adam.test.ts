import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from '../src/index.js';
import { expectClose, param, run, values } from './helpers.js';

interface Ref {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd?: number;
  decoupled?: boolean;
  amsgrad?: boolean;
  maximize?: boolean;
}

/**
 * Adam as published (Kingma & Ba, Algorithm 1) with PyTorch's options, in plain JS numbers:
 * m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ), p ← p − lr·m̂/(√v̂ + eps); L2 decay adds wd·p to g;
 * decoupled (AdamW) decay first multiplies p by 1 − lr·wd; amsgrad uses the running max of v.
 */
function adamRef(p0: number[], grads: number[][], o: Ref): number[][] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const vmax = p.map(() => 0);
  const wd = o.wd ?? 0;
  return grads.map((grad, k) => {
    const t = k + 1;
    for (let j = 0; j < p.length; j++) {
      let g = o.maximize ? -grad[j] : grad[j];
      if (o.decoupled) p[j] *= 1 - o.lr * wd;
      else g += wd * p[j];
      m[j] = o.b1 * m[j] + (1 - o.b1) * g;
      v[j] = o.b2 * v[j] + (1 - o.b2) * g * g;
      vmax[j] = Math.max(vmax[j], v[j]);
      const mHat = m[j] / (1 - o.b1 ** t);
      const vHat = (o.amsgrad ? vmax[j] : v[j]) / (1 - o.b2 ** t);
      p[j] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
    return [...p];
  });
}

const grads = [[0.5, -2, 3], [1, -1, -0.5], [-0.25, 4, 0.1], [2, 0, 1]];
const p0 = [1, -0.5, 2];

describe('Adam', () => {
  it('first step moves each coordinate by lr·g/(|g| + eps)', () => {
    const p = param([1, 1]);
    run(new Adam([p], { lr: 0.1 }), p, [[2, -0.001]]);
    expectClose(values(p), [1 - (0.1 * 2) / (2 + 1e-8), 1 + (0.1 * 0.001) / (0.001 + 1e-8)]);
  });

  it('second step by hand: g = 1 then 3, eps = 0', () => {
    const p = param([0]);
    run(new Adam([p], { lr: 0.1, eps: 0 }), p, [[1], [3]]);
    const m2 = 0.9 * 0.1 + 0.1 * 3; // 0.39
    const v2 = 0.999 * 0.001 + 0.001 * 9; // 0.009999
    const step2 = (0.1 * (m2 / (1 - 0.9 ** 2))) / Math.sqrt(v2 / (1 - 0.999 ** 2));
    expectClose(values(p), [-0.1 - step2]);
  });

  it('matches the published rule over four steps', () => {
    const p = param(p0);
    const got = run(new Adam([p], { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6 }), p, grads);
    const want = adamRef(p0, grads, { lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-6 });
    got.forEach((row, i) => expectClose(row, want[i]));
    const st = new Adam([param([0])]).state;
    expect(st.size).toBe(0); // state is created on the first step
  });

  it('L2 weight decay adds wd·p to the gradient', () => {
    const p = param(p0);
    const got = run(new Adam([p], { lr: 0.05, weightDecay: 0.1 }), p, grads);
    const want = adamRef(p0, grads, { lr: 0.05, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.1 });
    got.forEach((row, i) => expectClose(row, want[i]));
    // and it differs from decoupled decay
    const q = param(p0);
    run(new AdamW([q], { lr: 0.05, weightDecay: 0.1 }), q, grads);
    expect(Math.abs(values(q)[0] - got[3][0])).toBeGreaterThan(1e-5);
  });

  it('amsgrad uses the running maximum of v', () => {
    // A large gradient then small ones: v shrinks, its maximum does not.
    const gs = [[5, -5], [0.1, 0.1], [0.1, -0.2], [0.3, 0.1]];
    const p = param([0, 0]);
    const got = run(new Adam([p], { lr: 0.1, betas: [0.9, 0.5], amsgrad: true }), p, gs);
    const want = adamRef([0, 0], gs, { lr: 0.1, b1: 0.9, b2: 0.5, eps: 1e-8, amsgrad: true });
    got.forEach((row, i) => expectClose(row, want[i]));
    const plain = adamRef([0, 0], gs, { lr: 0.1, b1: 0.9, b2: 0.5, eps: 1e-8 });
    expect(Math.abs(plain[3][0] - want[3][0])).toBeGreaterThan(1e-2);
  });

  it('maximize ascends', () => {
    const p = param(p0);
    const got = run(new Adam([p], { lr: 0.1, maximize: true }), p, grads);
    const want = adamRef(p0, grads, { lr: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, maximize: true });
    got.forEach((row, i) => expectClose(row, want[i]));
    expect(got[0][0]).toBeGreaterThan(p0[0]); // g > 0 → p rises
  });

  it('keeps step and moment tensors in its state', () => {
    const p = param([1, 2]);
    const opt = new Adam([p], { lr: 0.1 });
    run(opt, p, [[1, 2], [3, 4]]);
    const s = opt.state.get(p);
    expect(s?.step).toBe(2);
    expectClose(values(s!.expAvg), [0.9 * 0.1 + 0.1 * 3, 0.9 * 0.2 + 0.1 * 4]);
    expectClose(values(s!.expAvgSq), [0.999 * 0.001 + 0.001 * 9, 0.999 * 0.004 + 0.001 * 16]);
    expect(s?.maxExpAvgSq).toBeUndefined();
  });

  it('rejects bad options with errors naming Adam', () => {
    const p = param([1]);
    expect(() => new Adam([p], { lr: -1 })).toThrow('Adam: lr must be >= 0, got -1');
    expect(() => new Adam([p], { betas: [1, 0.999] })).toThrow('Adam: betas[0] must be in [0, 1), got 1');
    expect(() => new Adam([p], { betas: [0.9, -0.1] })).toThrow('Adam: betas[1] must be in [0, 1), got -0.1');
    // @ts-expect-error betas must be a pair
    expect(() => new Adam([p], { betas: [0.9] })).toThrow('Adam: betas must be a pair [beta1, beta2], got [0.9]');
    expect(() => new Adam([p], { eps: -1e-8 })).toThrow('Adam: eps must be >= 0, got -1e-8');
    expect(() => new Adam([p], { weightDecay: -0.1 })).toThrow('Adam: weightDecay must be >= 0, got -0.1');
    // @ts-expect-error amsgrad is a boolean
    expect(() => new Adam([p], { amsgrad: 1 })).toThrow('Adam: amsgrad must be true or false, got 1');
  });
});

describe('AdamW', () => {
  it('first step by hand: p·(1 − lr·wd) − lr·g/(|g| + eps)', () => {
    const p = param([2]);
    run(new AdamW([p], { lr: 0.1, weightDecay: 0.5 }), p, [[4]]);
    expectClose(values(p), [2 * (1 - 0.1 * 0.5) - (0.1 * 4) / (4 + 1e-8)]);
  });

  it('default weight decay is 1e-2 and decay is decoupled', () => {
    const p = param(p0);
    const opt = new AdamW([p]);
    expect(opt.defaults.weightDecay).toBe(1e-2);
    const got = run(opt, p, grads);
    const want = adamRef(p0, grads, { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 1e-2, decoupled: true });
    got.forEach((row, i) => expectClose(row, want[i]));
  });

  it('decoupled decay with amsgrad and maximize', () => {
    const gs = [[5, -5], [0.1, 0.1], [0.1, -0.2]];
    const p = param([1, -1]);
    const got = run(new AdamW([p], { lr: 0.1, betas: [0.9, 0.5], weightDecay: 0.2, amsgrad: true, maximize: true }), p, gs);
    const want = adamRef([1, -1], gs, { lr: 0.1, b1: 0.9, b2: 0.5, eps: 1e-8, wd: 0.2, decoupled: true, amsgrad: true, maximize: true });
    got.forEach((row, i) => expectClose(row, want[i]));
  });

  it('rejects bad options with errors naming AdamW', () => {
    expect(() => new AdamW([param([1])], { betas: [0.9, 1] })).toThrow('AdamW: betas[1] must be in [0, 1), got 1');
  });
});
