import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@plexus/tensor';
import { SGD } from '../src/index.js';
import { expectClose, param, run, values } from './helpers.js';

// Expected values are derived by hand from torch.optim.SGD's documented rule:
//   g ← ±∇ + wd·p;  b₁ = g₁, bₜ = μ·bₜ₋₁ + (1 − τ)·gₜ;  g ← g + μ·b (nesterov) or b;  p ← p − lr·g.

describe('SGD', () => {
  it('plain steps: p ← p − lr·g', () => {
    const p = param([1, -2]);
    const got = run(new SGD([p], { lr: 0.1 }), p, [[1, 2], [0.5, -4]]);
    expectClose(got[0], [1 - 0.1 * 1, -2 - 0.1 * 2]);
    expectClose(got[1], [0.9 - 0.1 * 0.5, -2.2 + 0.1 * 4]);
  });

  it('default lr is 1e-3 (PyTorch 2)', () => {
    const p = param([1]);
    run(new SGD([p]), p, [[1]]);
    expectClose(values(p), [1 - 1e-3]);
  });

  it('momentum: the buffer starts as the gradient (no dampening on the first step)', () => {
    const p = param([1]);
    const got = run(new SGD([p], { lr: 0.1, momentum: 0.9 }), p, [[1], [1], [1]]);
    // b = 1, 1.9, 2.71  →  p = 1 − 0.1, − 0.19, − 0.271
    expectClose(got.flat(), [0.9, 0.71, 0.439]);
  });

  it('momentum with dampening 0.5', () => {
    const p = param([1]);
    const got = run(new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), p, [[1], [1], [1]]);
    // b = 1 (undamped), 0.9·1 + 0.5 = 1.4, 0.9·1.4 + 0.5 = 1.76
    expectClose(got.flat(), [1 - 0.1, 0.9 - 0.14, 0.76 - 0.176]);
  });

  it('nesterov: g + μ·b', () => {
    const p = param([1]);
    const got = run(new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), p, [[1], [1], [1]]);
    // b = 1, 1.9, 2.71;  g + μb = 1.9, 2.71, 3.439
    expectClose(got.flat(), [1 - 0.19, 0.81 - 0.271, 0.539 - 0.3439]);
  });

  it('weight decay adds wd·p to the gradient, before momentum', () => {
    const p = param([1]);
    const got = run(new SGD([p], { lr: 0.1, momentum: 0.5, weightDecay: 0.1 }), p, [[1], [1]]);
    const g1 = 1 + 0.1 * 1; // 1.1
    const p1 = 1 - 0.1 * g1; // 0.89
    const g2 = 1 + 0.1 * p1;
    const b2 = 0.5 * g1 + g2;
    expectClose(got.flat(), [p1, p1 - 0.1 * b2]);
  });

  it('maximize ascends the gradient', () => {
    const p = param([1, 2]);
    const got = run(new SGD([p], { lr: 0.5, maximize: true }), p, [[1, -1]]);
    expectClose(got[0], [1.5, 1.5]);
  });

  it('maximize with weight decay negates the gradient first (decay still shrinks p)', () => {
    const p = param([2]);
    run(new SGD([p], { lr: 0.1, maximize: true, weightDecay: 0.5 }), p, [[1]]);
    // g = −1 + 0.5·2 = 0 → p unchanged
    expectClose(values(p), [2]);
  });

  it('keeps float32 parameters float32', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.25, momentum: 0.5 });
    run(opt, p, [[1, 1], [1, 1]]);
    expect(p.dtype).toBe('float32');
    expectClose(values(p), [1 - 0.25 - 0.25 * 1.5, 2 - 0.25 - 0.25 * 1.5], 1e-7);
    expect(opt.state.get(p)?.momentumBuffer?.dtype).toBe('float32');
  });

  it('rejects bad options with errors naming SGD', () => {
    const p = param([1]);
    expect(() => new SGD([p], { lr: -0.1 })).toThrow(ArgumentError);
    expect(() => new SGD([p], { lr: -0.1 })).toThrow('SGD: lr must be >= 0, got -0.1');
    expect(() => new SGD([p], { lr: NaN })).toThrow('SGD: lr must be a finite number, got NaN');
    expect(() => new SGD([p], { momentum: -1 })).toThrow('SGD: momentum must be >= 0, got -1');
    expect(() => new SGD([p], { weightDecay: -1 })).toThrow('SGD: weightDecay must be >= 0, got -1');
    expect(() => new SGD([p], { nesterov: true })).toThrow('SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0');
    expect(() => new SGD([p], { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/nesterov requires momentum > 0 and dampening = 0/);
    // @ts-expect-error a PyTorch-style name is caught at run time for JavaScript users
    expect(() => new SGD([p], { weight_decay: 0.1 })).toThrow("SGD: unknown option 'weight_decay' (expected one of lr, momentum, dampening, weightDecay, nesterov, maximize)");
  });
});
