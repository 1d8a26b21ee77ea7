import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { linspace, manualSeed, randn, tensor, zeros } from '@plexus/tensor';
import type { AnyOptimizer } from '../src/index.js';
import { Adagrad, Adam, AdamW, CosineAnnealingLR, RMSprop, SGD, clipGradNorm } from '../src/index.js';

// Fit y = 3x + 2 (+ small noise) with loss.backward() and optimizer.step(), as a user would.
manualSeed(7);
const x = linspace(-1, 1, 32).reshape([32, 1]);
const y = x.mul(3).add(2).add(randn([32, 1]).mul(0.01));

interface Extras {
  clip?: number;
  schedule?: (opt: AnyOptimizer) => { step(): void };
}

function fit(make: (ps: Tensor[]) => AnyOptimizer, steps: number, extras: Extras = {}): { loss: number; w: number; b: number } {
  const w = zeros([1, 1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const opt = make([w, b]);
  const schedule = extras.schedule?.(opt);
  let loss = Infinity;
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const l = x.matmul(w).add(b).sub(y).square().mean();
    l.backward();
    if (extras.clip !== undefined) clipGradNorm([w, b], extras.clip);
    opt.step();
    schedule?.step();
    loss = Number(l.item());
  }
  return { loss, w: Number(w.item()), b: Number(b.item()) };
}

const cases: [string, (ps: Tensor[]) => AnyOptimizer, number][] = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.3 }), 150],
  ['SGD + nesterov momentum', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }), 150],
  ['Adam', (ps) => new Adam(ps, { lr: 0.1 }), 300],
  ['Adam (amsgrad)', (ps) => new Adam(ps, { lr: 0.1, amsgrad: true }), 300],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.1, weightDecay: 1e-4 }), 300],
  ['RMSprop', (ps) => new RMSprop(ps, { lr: 0.01 }), 600],
  ['RMSprop (centered, momentum)', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5 }), 400],
  ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.5 }), 300],
];

describe('end to end: linear regression y = 3x + 2', () => {
  for (const [name, make, steps] of cases) {
    it(`${name} reaches a small loss and recovers w ≈ 3, b ≈ 2`, () => {
      const r = fit(make, steps);
      expect(r.loss).toBeLessThan(2e-4);
      expect(r.w).toBeCloseTo(3, 1);
      expect(r.b).toBeCloseTo(2, 1);
    });
  }

  it('SGD momentum with a cosine schedule and gradient clipping', () => {
    const r = fit((ps) => new SGD(ps, { lr: 0.2, momentum: 0.9 }), 200, {
      clip: 1,
      schedule: (opt) => new CosineAnnealingLR(opt, { tMax: 200 }),
    });
    expect(r.loss).toBeLessThan(2e-4);
  });

  it('maximize climbs a concave function to its top', () => {
    const p = tensor([5, -4], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1, maximize: true });
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      p.sub(tensor([1, 2])).square().sum().neg().backward(); // max at (1, 2)
      opt.step();
    }
    const [a, b] = p.toArraySync() as number[];
    expect(a).toBeCloseTo(1, 2);
    expect(b).toBeCloseTo(2, 2);
  });
});
