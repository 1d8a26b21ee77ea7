import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, cat, fmtShape, isTensor, noGrad, scope, tensor } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';
import { Adam, LBFGS } from '@plexus/optim';
import type { Condition } from './conditions.js';
import { checkCondition, conditionLoss, meanSquare } from './conditions.js';
import { NonFiniteLossError } from './errors.js';

/**
 * The PDE residual at collocation points: given u = model(x) ([N, 1]) and x ([N, d], requiring
 * grad so that derivative/partials work), return the residual ([N, 1] or [N]) or several named
 * residuals for a system ({ momentum, continuity }).
 */
export type ResidualFn = (u: Tensor, x: Tensor) => Tensor | Record<string, Tensor>;

export interface PINNOptions {
  model: UnaryModule;
  /** Interior points where the PDE must hold: [N, d]. */
  collocation: Tensor;
  residual: ResidualFn;
  /** Boundary, initial and other conditions, each its own weighted loss term. */
  conditions?: readonly Condition[];
  /** Weight of the residual term(s): one number, or one per named residual (default 1). */
  residualWeight?: number | Record<string, number>;
  /**
   * Compute u's derivatives at the collocation points by forward (Taylor) mode with the model's
   * `forwardWithDerivatives` (MLP has it): every first derivative and these second ones, e.g.
   * `{ second: [[1, 1]] }` for u_xx with columns (t, x). The residual's `partials`/`derivative`
   * calls then cost no reverse pass (about 2× faster); anything not covered falls back to
   * autograd. Default: autograd only.
   */
  forwardDerivatives?: { second: readonly (readonly [number, number])[] };
}

/** A model that can compute its derivatives by forward mode (MLP). */
interface ForwardDerivativeModel {
  forwardWithDerivatives(x: Tensor, options: { second?: readonly (readonly [number, number])[] }): Tensor;
}

/** One line of the training log. */
export interface PINNLogEntry {
  phase: 'adam' | 'lbfgs';
  /** Adam step, or L-BFGS iteration, of the phase (continuing across train() calls). */
  step: number;
  /** The weighted total loss. */
  loss: number;
  /** Each unweighted term: 'residual' (or the residuals' names) and the conditions' names. */
  terms: Record<string, number>;
  /** Since the first train() call. */
  seconds: number;
}

export interface AdamPhaseOptions {
  steps: number;
  lr?: number;
}

export interface LBFGSPhaseOptions {
  /** Total L-BFGS iterations. */
  maxIter: number;
  lr?: number;
  historySize?: number;
  toleranceGrad?: number;
  toleranceChange?: number;
  /** 'strong_wolfe' (default) or null for fixed steps. */
  lineSearchFn?: 'strong_wolfe' | null;
}

export interface PINNTrainOptions {
  /** The Adam phase (skip with false or steps 0). */
  adam?: AdamPhaseOptions | false;
  /** The L-BFGS phase after Adam (skip with false or maxIter 0). */
  lbfgs?: LBFGSPhaseOptions | false;
  /** Log every this many Adam steps / L-BFGS iterations (default 100). */
  logEvery?: number;
  onLog?: (entry: PINNLogEntry) => void;
}

export interface PINNTrainResult {
  adamSteps: number;
  lbfgsIterations: number;
  lbfgsEvaluations: number;
  /** The final weighted loss and its terms. */
  loss: number;
  terms: Record<string, number>;
  seconds: number;
  history: PINNLogEntry[];
}

interface Evaluated {
  total: Tensor;
  terms: Record<string, number>;
  totalValue: number;
}

/**
 * Trains a network u(x) to satisfy a PDE and its conditions (Raissi, Perdikaris & Karniadakis,
 * 2019): the loss is w_r·mean(residual²) + Σ w_c·mean((B[u] − g)²) over collocation and condition
 * points, minimised by Adam and then L-BFGS with strong-Wolfe line search, the usual recipe (Adam
 * finds the basin, L-BFGS converges in it). Every term is checked after each evaluation: a NaN or
 * Infinity stops training with a NonFiniteLossError naming the term and the step.
 */
export class PINN {
  readonly model: UnaryModule;
  /** The collocation points; `refine` adds to them. */
  collocation: Tensor;
  readonly residual: ResidualFn;
  readonly conditions: readonly Condition[];
  readonly residualWeight: number | Record<string, number>;
  readonly forwardDerivatives: { second: readonly (readonly [number, number])[] } | undefined;
  readonly history: PINNLogEntry[] = [];

  constructor(options: PINNOptions) {
    const { model, collocation, residual, conditions = [], residualWeight = 1, forwardDerivatives } = options;
    if (!model || typeof model.forward !== 'function' || typeof model.parameters !== 'function') {
      throw new ArgumentError('PINN: model must be a Module with forward(x)');
    }
    if (!isTensor(collocation) || collocation.rank !== 2 || collocation.shape[0] < 1) {
      throw new ShapeError(`PINN: collocation must be points of shape [N, d], got ${isTensor(collocation) ? fmtShape(collocation.shape) : typeof collocation}`);
    }
    if (typeof residual !== 'function') throw new ArgumentError('PINN: residual must be a function (u, x) => residual');
    const d = collocation.shape[1];
    conditions.forEach((c) => checkCondition('PINN', c, d));
    const names = new Set<string>();
    for (const c of conditions) {
      if (names.has(c.name)) throw new ArgumentError(`PINN: two conditions are named '${c.name}'`);
      names.add(c.name);
    }
    if (typeof residualWeight === 'number' ? !(Number.isFinite(residualWeight) && residualWeight >= 0) : Object.values(residualWeight).some((w) => !(Number.isFinite(w) && w >= 0))) {
      throw new ArgumentError('PINN: residualWeight must be finite numbers >= 0');
    }
    this.model = model;
    this.collocation = collocation;
    this.residual = residual;
    this.conditions = [...conditions];
    this.residualWeight = residualWeight;
    if (forwardDerivatives !== undefined && typeof (model as Partial<ForwardDerivativeModel>).forwardWithDerivatives !== 'function') {
      throw new ArgumentError('PINN: forwardDerivatives needs a model with forwardWithDerivatives(x, { second }) (such as MLP)');
    }
    this.forwardDerivatives = forwardDerivatives;
  }

  /** The residuals at `points` by name ('residual' for a single one), each [N, 1] or [N]. */
  private residualsAt(points: Tensor): Record<string, Tensor> {
    const x = points.detach().requiresGrad_();
    const u = this.forwardDerivatives
      ? (this.model as unknown as ForwardDerivativeModel).forwardWithDerivatives(x, this.forwardDerivatives)
      : this.model.forward(x);
    const r = this.residual(u, x);
    const rs: Record<string, Tensor> = isTensor(r) ? { residual: r } : r;
    if (rs === null || typeof rs !== 'object' || Object.keys(rs).length === 0) {
      throw new ArgumentError('PINN: the residual function must return a tensor or a non-empty record of tensors');
    }
    const n = x.shape[0];
    for (const [name, t] of Object.entries(rs)) {
      if (!isTensor(t) || t.size !== n) {
        throw new ShapeError(`PINN: residual '${name}' must have one value per collocation point ([${n}, 1] or [${n}]), got ${isTensor(t) ? fmtShape(t.shape) : typeof t}`);
      }
    }
    return rs;
  }

  /** The mean squared residual term(s) at the collocation points, by name. */
  residualTerms(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(this.residualsAt(this.collocation))) out[name] = meanSquare(t);
    return out;
  }

  /**
   * |residual| at each point (the root of the weighted sum of squares of the named residuals),
   * evaluated in chunks of `chunk` points so a large candidate set fits in memory.
   */
  residualMagnitude(points: Tensor, chunk = 4096): Float64Array {
    if (!isTensor(points) || points.rank !== 2 || points.shape[1] !== this.collocation.shape[1]) {
      throw new ShapeError(`PINN.residualMagnitude: expected points [M, ${this.collocation.shape[1]}], got ${isTensor(points) ? fmtShape(points.shape) : typeof points}`);
    }
    const m = points.shape[0];
    const out = new Float64Array(m);
    for (let start = 0; start < m; start += chunk) {
      const len = Math.min(chunk, m - start);
      const sq = scope(() => {
        const rs = this.residualsAt(points.narrow(0, start, len).detach());
        let total: Tensor | null = null;
        for (const [name, r] of Object.entries(rs)) {
          const term = r.reshape([len]).square().mul(this.residualWeightOf(name));
          total = total ? total.add(term) : term;
        }
        return (total as unknown as Tensor).detach();
      });
      const v = sq.dataSync();
      for (let i = 0; i < len; i++) out[start + i] = Math.sqrt(v[i]);
      sq.dispose();
    }
    return out;
  }

  /**
   * Residual-based adaptive refinement (RAR; Lu et al., DeepXDE, 2021): evaluates the residual at
   * the `candidates` and adds the `count` points where it is largest to the collocation points,
   * so training concentrates where the PDE is worst satisfied (a shock, a boundary layer).
   * Returns the added points.
   */
  refine(candidates: Tensor, count: number): Tensor {
    if (!Number.isInteger(count) || count < 1) throw new ArgumentError(`PINN.refine: count must be a positive integer, got ${count}`);
    const mag = this.residualMagnitude(candidates);
    if (count > mag.length) throw new ArgumentError(`PINN.refine: asked for ${count} points but got only ${mag.length} candidates`);
    for (let i = 0; i < mag.length; i++) {
      if (!Number.isFinite(mag[i])) throw new NonFiniteLossError('residual', `PINN.refine (candidate ${i})`, mag[i]);
    }
    const order = Array.from(mag.keys()).sort((a, b) => mag[b] - mag[a]).slice(0, count);
    const added = noGrad(() => candidates.indexSelect(0, tensor(order, { dtype: 'int32', backend: candidates.backend })).cast(this.collocation.dtype));
    // keep(): the points belong to the PINN, even when refine runs inside a scope().
    this.collocation = noGrad(() => cat([this.collocation, added], 0)).keep();
    return added;
  }

  private residualWeightOf(name: string): number {
    const w = this.residualWeight;
    if (typeof w === 'number') return w;
    return w[name] ?? 1;
  }

  /**
   * Evaluates every term and the weighted total, checking each for NaN/Infinity. `step` names
   * where this happens in errors ('adam step 12').
   */
  evaluate(step = 'evaluation'): Evaluated {
    const terms: Record<string, number> = {};
    let total: Tensor | null = null;
    const addTerm = (name: string, loss: Tensor, weight: number): void => {
      const value = Number(loss.item());
      if (!Number.isFinite(value)) throw new NonFiniteLossError(name, step, value);
      terms[name] = value;
      const weighted = weight === 1 ? loss : loss.mul(weight);
      total = total ? total.add(weighted) : weighted;
    };
    for (const [name, loss] of Object.entries(this.residualTerms())) addTerm(name, loss, this.residualWeightOf(name));
    for (const c of this.conditions) addTerm(c.name, conditionLoss(this.model, c), c.weight ?? 1);
    const t = total as unknown as Tensor;
    return { total: t, terms, totalValue: Number(t.item()) };
  }

  /** The model's output at `x` without recording gradients. */
  predict(x: Tensor): Tensor {
    return noGrad(() => this.model.forward(x));
  }

  /**
   * Adam, then L-BFGS; logs into `history` and through `onLog`. Each step runs in a `scope()`, so
   * its intermediates (the second-derivative graphs are large) are freed at once, and the loop
   * yields to the event loop after each log line so that the garbage collector's finalizers can
   * release what remains.
   */
  async train(options: PINNTrainOptions = {}): Promise<PINNTrainResult> {
    const { adam = { steps: 1000 }, lbfgs = { maxIter: 500 }, logEvery = 100, onLog } = options;
    if (!Number.isInteger(logEvery) || logEvery < 1) throw new ArgumentError(`PINN.train: logEvery must be a positive integer, got ${logEvery}`);
    const start = performance.now();
    const params = this.model.parameters();
    // A later call (after refine, say) continues the step counts and the clock of the history.
    const offset = (phase: PINNLogEntry['phase']): number => Math.max(0, ...this.history.filter((e) => e.phase === phase).map((e) => e.step));
    const stepOffset = { adam: offset('adam'), lbfgs: offset('lbfgs') };
    const secondsOffset = this.history.length ? this.history[this.history.length - 1].seconds : 0;
    const log = (phase: PINNLogEntry['phase'], step: number, e: { totalValue: number; terms: Record<string, number> }): void => {
      const entry = { phase, step: stepOffset[phase] + step, loss: e.totalValue, terms: { ...e.terms }, seconds: secondsOffset + (performance.now() - start) / 1000 };
      this.history.push(entry);
      onLog?.(entry);
    };
    let adamSteps = 0;
    if (adam && adam.steps > 0) {
      if (!Number.isInteger(adam.steps)) throw new ArgumentError(`PINN.train: adam.steps must be an integer >= 0, got ${adam.steps}`);
      const opt = new Adam(params, { lr: adam.lr ?? 1e-3 });
      for (let step = 1; step <= adam.steps; step++) {
        const logged = scope(() => {
          opt.zeroGrad();
          const r = this.evaluate(`adam step ${step}`);
          // The loss before this step's update is step − 1's result: log it while the
          // parameters are still those it was computed with.
          const due = (step - 1) % logEvery === 0;
          if (due) log('adam', step - 1, r);
          r.total.backward();
          opt.step();
          return due;
        });
        adamSteps = step;
        if (logged) await yieldToEventLoop();
      }
    }

    let lbfgsIterations = 0;
    let lbfgsEvaluations = 0;
    if (lbfgs && lbfgs.maxIter > 0) {
      if (!Number.isInteger(lbfgs.maxIter)) throw new ArgumentError(`PINN.train: lbfgs.maxIter must be an integer >= 0, got ${lbfgs.maxIter}`);
      const opt = new LBFGS(params, {
        lr: lbfgs.lr ?? 1,
        historySize: lbfgs.historySize ?? 50,
        toleranceGrad: lbfgs.toleranceGrad ?? 1e-9,
        toleranceChange: lbfgs.toleranceChange ?? 1e-12,
        lineSearchFn: lbfgs.lineSearchFn === undefined ? 'strong_wolfe' : lbfgs.lineSearchFn,
        maxIter: Math.min(logEvery, lbfgs.maxIter),
      });
      let first = true;
      const closure = (): number =>
        scope(() => {
          // The gradients of the previous evaluation were kept for L-BFGS to read; free them.
          for (const p of params) p.grad?.dispose();
          opt.zeroGrad();
          const e = this.evaluate(`L-BFGS evaluation ${opt.funcEvals + 1} (iteration ${opt.nIter + 1})`);
          // The first call of each step() is at the parameters the previous chunk ended with:
          // log it now, while the parameters are still those.
          if (first) log('lbfgs', opt.nIter, e);
          first = false;
          e.total.backward();
          for (const p of params) p.grad?.keep();
          return e.totalValue;
        });
      // Chunks of logEvery iterations: the history carries over between step() calls, so chunks
      // only add a log line each. A chunk that stops early has converged (PyTorch's tests on the
      // gradient, the step and the loss change), which ends the phase.
      while (opt.nIter < lbfgs.maxIter) {
        const chunk = Math.min(logEvery, lbfgs.maxIter - opt.nIter);
        opt.paramGroups[0].maxIter = chunk;
        opt.paramGroups[0].maxEval = Math.floor((chunk * 5) / 4);
        const [iters, evals] = [opt.nIter, opt.funcEvals];
        first = true;
        opt.step(closure);
        await yieldToEventLoop();
        const done = opt.nIter - iters;
        if (done === 0 || (done < chunk && opt.funcEvals - evals < opt.paramGroups[0].maxEval)) break;
      }
      lbfgsIterations = opt.nIter;
      lbfgsEvaluations = opt.funcEvals;
    }
    // The loss at the final parameters (the last evaluation may have been a rejected trial).
    const final = scope(() => {
      const e = this.evaluate('the final evaluation');
      return { totalValue: e.totalValue, terms: e.terms };
    });
    for (const p of params) {
      p.grad?.dispose();
      p.grad = null;
    }
    if (lbfgsIterations > 0) log('lbfgs', lbfgsIterations, final);
    else if (adamSteps > 0) log('adam', adamSteps, final);
    return {
      adamSteps,
      lbfgsIterations,
      lbfgsEvaluations,
      loss: final.totalValue,
      terms: final.terms,
      seconds: (performance.now() - start) / 1000,
      history: this.history,
    };
  }
}

/** Lets pending tasks run, the garbage collector's finalizers among them. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
