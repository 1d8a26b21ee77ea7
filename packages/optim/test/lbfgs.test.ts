import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { LBFGS, cubicInterpolate } from '../src/index.js';
import type { LBFGSOptions } from '../src/index.js';
import { expectClose, f64, values } from './helpers.js';

/** Rosenbrock's banana f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1). */
function rosenbrock(p: Tensor): Tensor {
  const x = p.slice(0, 0, 1);
  const y = p.slice(0, 1, 2);
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
}

/** A closure for `opt` minimising f(p); records every point it is evaluated at. */
function closureFor(opt: LBFGS, p: Tensor, f: (p: Tensor) => Tensor, points: number[][] = []): () => Tensor {
  return () => {
    opt.zeroGrad();
    const loss = f(p);
    loss.backward();
    points.push(values(p));
    return loss;
  };
}

/**
 * torch.optim.LBFGS (PyTorch 1.13, float64) on Rosenbrock from (−1.5, 2): after each step()
 * [returned loss, x, y, state.func_evals, state.n_iter]; produced with
 * `opt.step(closure)` for each configuration below.
 */
const TORCH_STEPS: Record<string, { options: Partial<LBFGSOptions>; steps: number[][] }> = {
  strongWolfe: {
    options: { lineSearchFn: 'strong_wolfe' },
    steps: [
      [12.5, -0.08511855589862088, -0.028757058413776328, 25, 19],
      [1.3070983150501583, 0.9995835472530445, 0.9991550319579069, 50, 38],
      [1.8840481372787713e-7, 0.9999979943196414, 0.9999973438921667, 53, 41],
    ],
  },
  fixedStep: {
    options: { lr: 0.1, historySize: 5, maxIter: 7 },
    steps: [
      [12.5, -1.4217171600066372, 2.0232767383780272, 7, 7],
      [5.865112826066002, -1.4138045400364991, 2.0095844527961852, 14, 14],
      [5.837989642330219, -1.2189025285215993, 1.5205832343202574, 21, 21],
      [5.0450494169809135, -0.9542386013788252, 0.8871136266692985, 28, 28],
    ],
  },
  shortHistory: {
    options: { lineSearchFn: 'strong_wolfe', historySize: 3, maxIter: 5 },
    steps: [
      [12.5, -1.4190151739012853, 2.015228881713949, 6, 4],
      [5.851898414902332, -1.1382996644053174, 1.2446282267668645, 12, 9],
      [4.833424985249205, -0.5680025987908335, 0.3233359078076399, 18, 13],
      [2.458682411615469, -0.09026694460405187, 0.03233111088117836, 24, 17],
      [1.2471637090619017, 0.2507431465549042, 0.06779414953943866, 31, 21],
      [0.563808464455363, 0.5678804842189329, 0.30262231022462777, 37, 25],
      [0.22619280981296508, 0.8084238221160424, 0.6457699254081626, 44, 29],
      [0.04275295058193575, 0.9764088118009011, 0.952716639544567, 50, 34],
    ],
  },
};

/** The 25 points torch's strong-Wolfe L-BFGS evaluates Rosenbrock at during its first step(). */
const TORCH_FIRST_STEP_POINTS = [
  [-1.5, 2.0], [-0.7439024390243902, 2.2439024390243905], [-1.4172551712244599, 2.026691880250174],
  [-1.4200404011339869, 2.024868214861027], [-1.4201365045001701, 2.023710425144713], [-1.4190151739012853, 2.015228881713949],
  [-1.4142309487677067, 1.9949020404366438], [-1.3967406364678434, 1.9336233323551453], [-1.3536960480482616, 1.7977327472576072],
  [-1.2871832369443896, 1.6054850151939224], [-1.2050322831643019, 1.3935585763354503], [-1.0768265614154306, 1.1112274823448027],
  [-0.9629098925080448, 0.9154087570839007], [-0.5924508888433055, 0.14758887271108823], [-0.8258409543537103, 0.6313172511314362],
  [-0.7411829596964635, 0.5123567779596656], [-0.6185532109209904, 0.3714004173460962], [-0.1629802091885027, -0.2925104947979916],
  [-0.4993315824367948, 0.19765759278617157], [-0.4343185933723611, 0.16459246562060525], [-0.23377733863565014, -0.00897557603030838],
  [-0.29264469783424696, 0.0419740017345052], [-0.18808051962341707, 0.019626940366252312], [0.011629958411619234, -0.07422122623858737],
  [-0.08511855589862088, -0.028757058413776328],
];

/** f(x) = ½xᵀAx − bᵀx with A symmetric positive definite; minimiser A⁻¹b. */
function quadratic(n: number, seed: number): { f: (x: Tensor) => Tensor; solution: number[] } {
  manualSeed(seed);
  const m = randn([n, n], { dtype: 'float64' });
  const a = m.matmul(m.t()).add(tensor(identity(n), { dtype: 'float64' }));
  const b = randn([n], { dtype: 'float64' });
  // Solve A·x = b by Gaussian elimination on the host (A is well conditioned).
  const A = (a.toArraySync() as number[][]).map((row) => [...row]);
  const rhs = values(b);
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const r = A[i][k] / A[k][k];
      for (let j = k; j < n; j++) A[i][j] -= r * A[k][j];
      rhs[i] -= r * rhs[k];
    }
  }
  const solution = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i];
    for (let j = i + 1; j < n; j++) s -= A[i][j] * solution[j];
    solution[i] = s / A[i][i];
  }
  const f = (x: Tensor): Tensor => x.matmul(a).mul(x).sum().mul(0.5).sub(x.mul(b).sum());
  return { f, solution };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

describe('cubicInterpolate', () => {
  it('finds the minimiser of a cubic from two points with values and slopes', () => {
    // f(x) = x³ − 3x: f(0) = 0, f'(0) = −3; f(2) = 2, f'(2) = 9; local minimum at x = 1.
    expect(cubicInterpolate(0, 0, -3, 2, 2, 9)).toBeCloseTo(1, 14);
    // Same points in the other order.
    expect(cubicInterpolate(2, 2, 9, 0, 0, -3)).toBeCloseTo(1, 14);
  });

  it('is exact on a quadratic and clamps to the bounds', () => {
    // f(x) = (x − 0.3)²: f(0) = 0.09, f'(0) = −0.6; f(1) = 0.49, f'(1) = 1.4.
    expect(cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4)).toBeCloseTo(0.3, 14);
    expect(cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4, [0.5, 2])).toBe(0.5);
    expect(cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4, [-1, 0.1])).toBe(0.1);
  });

  it('returns the middle of the bounds when the cubic has no minimum', () => {
    // f(0) = 0, f(1) = 1, slopes 2 and 2: d1 = 2 + 2 − 3·(0 − 1)/(0 − 1) = 1, d1² − g1·g2 = −3 < 0.
    expect(cubicInterpolate(0, 0, 2, 1, 1, 2)).toBe(0.5);
    expect(cubicInterpolate(0, 0, 2, 1, 1, 2, [2, 6])).toBe(4);
  });
});

describe('LBFGS', () => {
  it('minimises Rosenbrock from (−1.5, 2) to (1, 1) with strong Wolfe', () => {
    const p = f64([-1.5, 2]).requiresGrad_();
    const opt = new LBFGS([p], { lineSearchFn: 'strong_wolfe', maxIter: 100, maxEval: 200 });
    opt.step(closureFor(opt, p, rosenbrock));
    expectClose(values(p), [1, 1], 1e-5);
    expect(rosenbrock(p).item()).toBeLessThan(1e-9);
  });

  it('reproduces torch.optim.LBFGS iterate for iterate on Rosenbrock', () => {
    for (const [name, { options, steps }] of Object.entries(TORCH_STEPS)) {
      const p = f64([-1.5, 2]).requiresGrad_();
      const opt = new LBFGS([p], options);
      const points: number[][] = [];
      const closure = closureFor(opt, p, rosenbrock, points);
      steps.forEach(([loss, x, y, funcEvals], k) => {
        const got = opt.step(closure) as Tensor;
        // The evaluation count must match exactly: same branches taken in the line search.
        expect([name, k, points.length, opt.funcEvals, opt.nIter]).toEqual([name, k, funcEvals, funcEvals, steps[k][4]]);
        expectClose([got.item() as number, ...values(p)], [loss, x, y], 1e-6);
      });
      if (name === 'strongWolfe') expectClose(points.slice(0, 25).flat(), TORCH_FIRST_STEP_POINTS.flat(), 1e-9);
    }
  });

  it('decreases the loss monotonically with strong Wolfe (sufficient decrease every iteration)', () => {
    const p = f64([-1.5, 2]).requiresGrad_();
    const opt = new LBFGS([p], { lineSearchFn: 'strong_wolfe', maxIter: 1 });
    const closure = closureFor(opt, p, rosenbrock);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) losses.push(opt.step(closure)?.item() as number);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1]);
    expect(losses[losses.length - 1]).toBeLessThan(1e-6);
  });

  it('solves an n-dimensional quadratic in n iterations with exact line searches', () => {
    // lr = 100 makes every first trial overshoot (Armijo fails), so the zoom's cubic interpolation,
    // exact on a quadratic, lands on the line minimum: L-BFGS then terminates in ≤ n iterations.
    for (const n of [2, 5, 8]) {
      const { f, solution } = quadratic(n, n);
      const x = f64(new Array<number>(n).fill(0)).requiresGrad_();
      const opt = new LBFGS([x], { lr: 100, lineSearchFn: 'strong_wolfe', maxIter: n, maxEval: 100, toleranceGrad: 1e-12, toleranceChange: 1e-15 });
      opt.step(closureFor(opt, x, f));
      expectClose(values(x), solution, 1e-10);
      // n − 1 iterations are not enough: the test can tell.
      const y = f64(new Array<number>(n).fill(0)).requiresGrad_();
      const short = new LBFGS([y], { lr: 100, lineSearchFn: 'strong_wolfe', maxIter: n - 1, maxEval: 100 });
      short.step(closureFor(short, y, f));
      const err = Math.max(...values(y).map((v, i) => Math.abs(v - solution[i])));
      expect(err).toBeGreaterThan(1e-6);
    }
  });

  it('returns at once when the gradient is already below toleranceGrad', () => {
    const p = f64([1, 1]).requiresGrad_();
    const opt = new LBFGS([p]);
    const points: number[][] = [];
    const loss = opt.step(closureFor(opt, p, rosenbrock, points)) as Tensor;
    expect(loss.item()).toBe(0);
    expect(points.length).toBe(1);
    expect(values(p)).toEqual([1, 1]);
  });

  it('first step is −g scaled by min(1, 1/‖g‖₁)·lr', () => {
    // f = ½‖p‖², g = p = (3, −1): t = lr/4, p ← p − t·g.
    const p = f64([3, -1]).requiresGrad_();
    const opt = new LBFGS([p], { lr: 0.5, maxIter: 1 });
    opt.step(closureFor(opt, p, (q) => q.square().sum().mul(0.5)));
    expectClose(values(p), [3 - 0.125 * 3, -1 + 0.125]);
  });

  it('works on float32 parameters split over several tensors', () => {
    const a = tensor([-1.5], { requiresGrad: true });
    const b = tensor([2], { requiresGrad: true });
    const unused = tensor([7], { requiresGrad: true });
    const opt = new LBFGS([a, b, unused], { lineSearchFn: 'strong_wolfe', maxIter: 100, maxEval: 200 });
    opt.step(() => {
      opt.zeroGrad();
      const loss = a.neg().add(1).square().add(b.sub(a.square()).square().mul(100)).sum();
      loss.backward();
      return loss;
    });
    expect(Math.abs((a.item() as number) - 1)).toBeLessThan(1e-2);
    expect(Math.abs((b.item() as number) - 1)).toBeLessThan(2e-2);
    // A parameter without a gradient counts as a zero gradient and does not move.
    expect(unused.item()).toBe(7);
  });

  it('resumes exactly from stateDict()', () => {
    const run = (restore: boolean): number[] => {
      const p = f64([-1.5, 2]).requiresGrad_();
      let opt = new LBFGS([p], { lineSearchFn: 'strong_wolfe', maxIter: 4 });
      opt.step(closureFor(opt, p, rosenbrock));
      opt.step(closureFor(opt, p, rosenbrock));
      if (restore) {
        const saved = opt.stateDict();
        expect(saved.state[0].nIter).toBeGreaterThan(4);
        expect((saved.state[0].oldDirs as Tensor).shape[1]).toBe(2);
        opt = new LBFGS([p], { lineSearchFn: 'strong_wolfe', maxIter: 4 });
        opt.loadStateDict(saved);
      }
      opt.step(closureFor(opt, p, rosenbrock));
      return values(p);
    };
    expect(run(true)).toEqual(run(false));
  });

  it('defaults maxEval to ⌊maxIter·5/4⌋ like PyTorch', () => {
    const p = f64([0]).requiresGrad_();
    expect(new LBFGS([p]).paramGroups[0]).toMatchObject({ lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null });
    expect(new LBFGS([p], { maxIter: 7 }).paramGroups[0].maxEval).toBe(8);
    expect(new LBFGS([p], { maxIter: 7, maxEval: 3 }).paramGroups[0].maxEval).toBe(3);
  });

  it('rejects bad options, parameter groups and missing or bad closures', () => {
    const p = f64([0]).requiresGrad_();
    const q = f64([0]).requiresGrad_();
    expect(() => new LBFGS([p], { lineSearchFn: 'wolfe' as 'strong_wolfe' })).toThrow(/lineSearchFn must be null or 'strong_wolfe', got "wolfe"/);
    expect(() => new LBFGS([p], { historySize: 0 })).toThrow(ArgumentError);
    expect(() => new LBFGS([p], { maxIter: 2.5 })).toThrow(/maxIter must be an integer >= 1, got 2.5/);
    expect(() => new LBFGS([p], { max_iter: 3 } as unknown as Partial<LBFGSOptions>)).toThrow(/unknown option 'max_iter'/);
    expect(() => new LBFGS([{ params: [p] }, { params: [q], lr: 0.1 }])).toThrow(/doesn't support per-parameter options/);
    const opt = new LBFGS([p]);
    expect(() => opt.addParamGroup({ params: [q] })).toThrow(ArgumentError);
    expect(() => opt.step()).toThrow(/LBFGS.step: a closure is required/);
    expect(() => opt.step(() => p.add(f64([1, 2])).sum().add(f64([1, 1])))).toThrow(/one-element tensor or a number, got \[2\] float64/);
    p.grad = f64([1, 2]);
    expect(() => opt.step(() => 1)).toThrow(ShapeError);
  });
});
