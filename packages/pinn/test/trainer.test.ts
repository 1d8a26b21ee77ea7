import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, tensor, zeros } from '@plexus/tensor';
import {
  MLP, NonFiniteLossError, PINN, box, derivative, poisson1d, relativeL2, sampleBoundary, sampleGrid, sampleLatinHypercube,
} from '../src/index.js';
import type { PINNLogEntry } from '../src/index.js';
import { values } from './helpers.js';

function poissonPinn(seed = 0): PINN {
  manualSeed(seed);
  const p = poisson1d();
  return new PINN({
    model: new MLP([1, 10, 10, 1], { dtype: 'float64', lower: [0], upper: [1] }),
    collocation: sampleLatinHypercube(p.domain, 24, { seed: 1, dtype: 'float64' }),
    residual: p.residual,
    conditions: [{ name: 'boundary', points: sampleBoundary(p.domain, 2, { dtype: 'float64' }), values: zeros([2, 1], { dtype: 'float64' }), weight: 1 }],
  });
}

describe('PINN', () => {
  it('solves −u″ = π² sin(πx) with Adam then L-BFGS and logs both phases', async () => {
    const pinn = poissonPinn();
    const log: PINNLogEntry[] = [];
    const r = await pinn.train({ adam: { steps: 100, lr: 1e-2 }, lbfgs: { maxIter: 120 }, logEvery: 50, onLog: (e) => log.push(e) });
    expect(r.adamSteps).toBe(100);
    expect(r.lbfgsIterations).toBeGreaterThan(20);
    expect(r.lbfgsEvaluations).toBeGreaterThanOrEqual(r.lbfgsIterations);
    expect(log.map((e) => `${e.phase}${e.step}`).slice(0, 3)).toEqual(['adam0', 'adam50', 'lbfgs0']);
    expect(log[0].terms).toHaveProperty('residual');
    expect(log[0].terms).toHaveProperty('boundary');
    // L-BFGS takes the loss far below where Adam left it.
    const adamEnd = log.find((e) => e.phase === 'lbfgs')!.loss;
    expect(r.loss).toBeLessThan(adamEnd / 100);
    const xs = sampleGrid(box([0], [1]), 201, { dtype: 'float64' });
    const err = relativeL2(values(pinn.predict(xs)), values(xs).map((x) => Math.sin(Math.PI * x)));
    expect(err).toBeLessThan(1e-2);
    expect(pinn.history).toEqual(log);
  });

  it('weighs the terms: total = Σ weight·term', () => {
    manualSeed(0);
    const pinn = poissonPinn();
    const base = pinn.evaluate();
    const weighted = new PINN({
      model: pinn.model,
      collocation: pinn.collocation,
      residual: pinn.residual,
      residualWeight: 0.5,
      conditions: [{ ...pinn.conditions[0], weight: 10 }],
    }).evaluate();
    expect(weighted.terms).toEqual(base.terms);
    expect(weighted.totalValue).toBeCloseTo(0.5 * base.terms.residual + 10 * base.terms.boundary, 12);
    expect(base.totalValue).toBeCloseTo(base.terms.residual + base.terms.boundary, 12);
  });

  it('forwardDerivatives gives the same losses as autograd', () => {
    const pinn = poissonPinn(2);
    const fast = new PINN({ model: pinn.model, collocation: pinn.collocation, residual: pinn.residual, conditions: pinn.conditions, forwardDerivatives: { second: poisson1d().secondDerivatives } });
    const [a, b] = [pinn.evaluate(), fast.evaluate()];
    expect(Math.abs(a.terms.residual - b.terms.residual)).toBeLessThan(1e-12 * a.terms.residual);
    expect(b.terms.boundary).toBe(a.terms.boundary);
    expect(() => new PINN({ model: { forward: (x: ReturnType<typeof zeros>) => x, parameters: () => [] } as unknown as MLP, collocation: pinn.collocation, residual: pinn.residual, forwardDerivatives: { second: [] } })).toThrow(/forwardWithDerivatives/);
  });

  it('supports named residuals and derivative (Neumann) conditions', () => {
    manualSeed(0);
    const model = new MLP([1, 4, 1], { dtype: 'float64' });
    const pts = tensor([[0], [1]], { dtype: 'float64' });
    const pinn = new PINN({
      model,
      collocation: tensor([[0.25], [0.5]], { dtype: 'float64' }),
      residual: (u, x) => ({ first: derivative(u, x, 1), second: derivative(u, x, 2) }),
      residualWeight: { second: 2 },
      conditions: [{ name: 'flux', points: pts, values: tensor([1, 1], { dtype: 'float64' }), operator: (u, x) => derivative(u, x) }],
    });
    const e = pinn.evaluate();
    expect(Object.keys(e.terms)).toEqual(['first', 'second', 'flux']);
    expect(e.totalValue).toBeCloseTo(e.terms.first + 2 * e.terms.second + e.terms.flux, 12);
  });

  it('stops with an error naming the term and the step when the residual becomes NaN', async () => {
    const p = poisson1d();
    let calls = 0;
    const pinn = new PINN({
      model: new MLP([1, 4, 1], { dtype: 'float64' }),
      collocation: sampleLatinHypercube(p.domain, 8, { seed: 1, dtype: 'float64' }),
      // Fine for two evaluations, then log of a negative number.
      residual: (u, x) => (++calls >= 3 ? derivative(u, x, 2).sub(1e9).log() : derivative(u, x, 2)),
      conditions: [{ name: 'boundary', points: tensor([[0], [1]], { dtype: 'float64' }), values: zeros([2, 1], { dtype: 'float64' }) }],
    });
    const run = pinn.train({ adam: { steps: 5, lr: 1e-3 }, lbfgs: false });
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(pinn.train({ adam: { steps: 5 }, lbfgs: false })).rejects.toThrow(/non-finite loss term 'residual' \(NaN\) at adam step 1/);
  });

  it('names an infinite condition term in the L-BFGS phase', async () => {
    const p = poisson1d();
    const pinn = new PINN({
      model: new MLP([1, 4, 1], { dtype: 'float64' }),
      collocation: sampleLatinHypercube(p.domain, 8, { seed: 1, dtype: 'float64' }),
      residual: p.residual,
      conditions: [{ name: 'boundary', points: tensor([[0], [1]], { dtype: 'float64' }), values: tensor([[Infinity], [0]], { dtype: 'float64' }) }],
    });
    const err = await pinn.train({ adam: false, lbfgs: { maxIter: 5 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).term).toBe('boundary');
    expect((err as Error).message).toMatch(/'boundary' \(Infinity\) at L-BFGS evaluation 1 \(iteration 1\)/);
  });

  it('rejects bad setups', async () => {
    const model = new MLP([1, 4, 1], { dtype: 'float64' });
    const collocation = tensor([[0.5]], { dtype: 'float64' });
    const residual = (u: ReturnType<typeof zeros>) => u;
    expect(() => new PINN({ model, collocation: tensor([0.5]), residual })).toThrow(/collocation must be points of shape \[N, d\], got \[1\]/);
    const c = { name: 'b', points: tensor([[0]], { dtype: 'float64' }), values: zeros([1], { dtype: 'float64' }) };
    expect(() => new PINN({ model, collocation, residual, conditions: [c, c] })).toThrow(/two conditions are named 'b'/);
    expect(() => new PINN({ model, collocation, residual, conditions: [{ ...c, points: tensor([[0, 1]]) }] })).toThrow(ShapeError);
    expect(() => new PINN({ model, collocation, residual, conditions: [{ ...c, weight: -1 }] })).toThrow(/weight -1/);
    expect(() => new PINN({ model, collocation, residual: (u) => u.reshape([1, 1, 1]).expand([2, 1, 1]) }).evaluate()).toThrow(/one value per collocation point/);
    expect(() => new PINN({ model, collocation, residual, conditions: [{ ...c, values: zeros([3], { dtype: 'float64' }) }] }).evaluate()).toThrow(/expected values of shape \[1, 1\] or \[1\], got \[3\]/);
    await expect(new PINN({ model, collocation, residual }).train({ logEvery: 0 })).rejects.toThrow(ArgumentError);
  });
});

describe('PINN.refine (residual-based adaptive refinement)', () => {
  it('adds the candidates with the largest residual and continues the log after them', async () => {
    const pinn = poissonPinn(1);
    await pinn.train({ adam: { steps: 20, lr: 1e-2 }, lbfgs: false, logEvery: 10 });
    const candidates = sampleGrid(box([0], [1]), 41, { dtype: 'float64' });
    const mag = pinn.residualMagnitude(candidates, 16);
    expect(mag.length).toBe(41);
    const before = pinn.collocation.shape[0];
    const added = pinn.refine(candidates, 5);
    expect(pinn.collocation.shape[0]).toBe(before + 5);
    // The added points are the five largest |residual| among the candidates.
    const top = Array.from(mag.keys()).sort((a, b) => mag[b] - mag[a]).slice(0, 5).map((i) => values(candidates)[i]);
    expect(values(added)).toEqual(top);
    expect(values(pinn.collocation).slice(before)).toEqual(top);
    // A new train() call continues the step count of the history.
    await pinn.train({ adam: { steps: 10, lr: 1e-2 }, lbfgs: false, logEvery: 10 });
    expect(pinn.history.map((e) => e.step)).toEqual([0, 10, 20, 20, 30]);
    expect(() => pinn.refine(candidates, 100)).toThrow(/only 41 candidates/);
    expect(() => pinn.residualMagnitude(tensor([[1, 2]]))).toThrow(ShapeError);
  });
});
