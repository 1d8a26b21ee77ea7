import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, PlexusError, ShapeError, allocArray, fromData, isTensor, noGrad, withGradMode } from '@plexus/tensor';
import type { OptimizerStateDict, ParamGroup, ParamGroupInput, Params, ParamState, StateValue, Update } from './optimizer.js';
import { Optimizer, resolveDefaults } from './optimizer.js';
import { checkInteger, checkNonNegative } from './validate.js';

export interface LBFGSOptions {
  lr: number;
  /** Iterations per `step()` (default 20). */
  maxIter: number;
  /** Function evaluations per `step()` (default ⌊maxIter·5/4⌋). */
  maxEval: number;
  /** Stop when max|g| ≤ toleranceGrad (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the loss or the step changes by less than this (default 1e-9). */
  toleranceChange: number;
  /** Number of (s, y) pairs kept (default 100). */
  historySize: number;
  /** null: fixed step lr; 'strong_wolfe': line search with cubic interpolation (default null). */
  lineSearchFn: 'strong_wolfe' | null;
}

export const LBFGS_DEFAULTS: Readonly<Omit<LBFGSOptions, 'maxEval'>> = {
  lr: 1, maxIter: 20, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null,
};

/** The closure given to `step`: re-evaluates the model, calls backward, returns the loss. */
export type LBFGSClosure<L> = () => L;

/**
 * L-BFGS's global state (PyTorch keeps it under the first parameter). Vectors are the flattened
 * parameters, in float64 on the host whatever the parameters' dtype.
 */
interface LBFGSMemory {
  funcEvals: number;
  nIter: number;
  d: Float64Array | null;
  t: number;
  oldDirs: Float64Array[];
  oldStps: Float64Array[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: Float64Array | null;
  prevLoss: number;
}

// ---- float64 vector helpers (the direction and history math runs on the host) ----

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function absMax(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    // NaN propagates, as torch's max does: a NaN gradient must not look optimal.
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}
function absSum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}
/** y += alpha·x, in place. */
function axpy(y: Float64Array, alpha: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}
function scaled(x: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i];
  return out;
}

/**
 * Minimiser of the cubic interpolating (x1, f1, g1) and (x2, f2, g2), clamped to `bounds`
 * (default: the interval between x1 and x2); the midpoint when the cubic has no minimum.
 * Port of torch.optim.lbfgs._cubic_interpolate.
 */
export function cubicInterpolate(
  x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: readonly [number, number],
): number {
  const [xminBound, xmaxBound] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    // Python's min(max(minPos, lo), hi), which keeps its first argument on ties and NaN.
    const lower = xminBound > minPos ? xminBound : minPos;
    return xmaxBound < lower ? xmaxBound : lower;
  }
  return (xminBound + xmaxBound) / 2;
}

/** f and g at x + t·d. */
type Objective = (t: number) => [number, Float64Array];

export interface StrongWolfeResult {
  loss: number;
  flatGrad: Float64Array;
  t: number;
  funcEvals: number;
}

/**
 * Line search for a step t along d satisfying the strong Wolfe conditions
 * f(t) ≤ f + c1·t·gᵀd and |g(t)ᵀd| ≤ −c2·gᵀd: bracketing with cubic extrapolation, then zoom
 * with cubic interpolation and safeguards. Port of torch.optim.lbfgs._strong_wolfe (itself from
 * torch7's lswolfe.lua), decision for decision.
 */
export function strongWolfe(
  objective: Objective, t0: number, d: Float64Array, f: number, g: Float64Array, gtd: number,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): StrongWolfeResult {
  let t = t0;
  const dNorm = absMax(d);
  let [fNew, gNew] = objective(t);
  let lsFuncEvals = 1;
  let gtdNew = dot(gNew, d);

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Float64Array[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // Extrapolate: a cubic step kept between 1.01·t − 0.01·tPrev and 10·t.
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    [fNew, gNew] = objective(t);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }

  // Zoom: shrink the bracket until a point satisfies the criteria.
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    // The bracket is too small to make progress.
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    // A t too close to an end of the bracket makes little progress: once that happened twice in
    // a row, or when t is at or beyond an end, move it 10% of the bracket inside.
    const hi = Math.max(...bracket);
    const lo = Math.min(...bracket);
    const eps = 0.1 * (hi - lo);
    if (Math.min(hi - t, t - lo) < eps) {
      if (insufProgress || t >= hi || t <= lo) {
        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = objective(t);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;

    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      // Armijo fails or no lower than the lowest point: t becomes the high end.
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew;
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        // The old low end becomes the high end.
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew;
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return { loss: bracketF[lowPos], flatGrad: bracketG[lowPos], t: bracket[lowPos], funcEvals: lsFuncEvals };
}

/**
 * L-BFGS (torch.optim.LBFGS, after minFunc): a quasi-Newton method that keeps the last
 * `historySize` steps s and gradient changes y and applies the inverse-Hessian approximation by
 * the two-loop recursion. Each `step(closure)` runs up to `maxIter` iterations, calling the
 * closure (zeroGrad, forward, backward, return the loss) as often as the line search needs.
 * One parameter group only. The direction and history math runs on the host in float64 on the
 * flattened parameters, so the backend must read synchronously (dataSync).
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  private memory: LBFGSMemory = LBFGS.freshMemory();

  constructor(params: Params<LBFGSOptions>, options?: Partial<LBFGSOptions>) {
    const maxIter = options?.maxIter ?? LBFGS_DEFAULTS.maxIter;
    const defaults = { ...LBFGS_DEFAULTS, maxEval: Number.isFinite(maxIter) ? Math.floor((maxIter * 5) / 4) : maxIter };
    super(params, resolveDefaults('LBFGS', defaults, options), 'LBFGS');
    if (this.paramGroups.length !== 1) {
      throw new ArgumentError(`LBFGS: doesn't support per-parameter options (parameter groups); got ${this.paramGroups.length} groups, expected 1`);
    }
  }

  /** Iterations taken over all `step()` calls (PyTorch's state['n_iter']). */
  get nIter(): number {
    return this.memory.nIter;
  }

  /** Closure evaluations over all `step()` calls (PyTorch's state['func_evals']). */
  get funcEvals(): number {
    return this.memory.funcEvals;
  }

  private static freshMemory(): LBFGSMemory {
    return { funcEvals: 0, nIter: 0, d: null, t: 0, oldDirs: [], oldStps: [], ro: [], hDiag: 1, prevFlatGrad: null, prevLoss: 0 };
  }

  protected override validateOptions(o: LBFGSOptions): void {
    checkNonNegative(this.name, 'lr', o.lr);
    checkInteger(this.name, 'maxIter', o.maxIter, 1);
    checkInteger(this.name, 'maxEval', o.maxEval, 1);
    checkNonNegative(this.name, 'toleranceGrad', o.toleranceGrad);
    checkNonNegative(this.name, 'toleranceChange', o.toleranceChange);
    checkInteger(this.name, 'historySize', o.historySize, 1);
    if (o.lineSearchFn !== null && o.lineSearchFn !== 'strong_wolfe') {
      throw new ArgumentError(`LBFGS: lineSearchFn must be null or 'strong_wolfe', got ${JSON.stringify(o.lineSearchFn)}`);
    }
  }

  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length >= 1) {
      throw new ArgumentError("LBFGS: doesn't support per-parameter options (parameter groups); it optimizes one group");
    }
    super.addParamGroup(group);
  }

  /** Never called: L-BFGS moves all parameters together in `step(closure)`. */
  protected update(_p: Tensor, _g: Tensor, _s: ParamState | undefined, _group: ParamGroup<LBFGSOptions>): Update<ParamState> {
    throw new PlexusError('LBFGS: parameters are updated together by step(closure), not one by one');
  }

  private get params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  private numel(): number {
    return this.params.reduce((n, p) => n + p.size, 0);
  }

  /** The parameters' gradients as one float64 vector (zeros for a parameter without one). */
  private gatherFlatGrad(): Float64Array {
    const out = new Float64Array(this.numel());
    let offset = 0;
    for (const p of this.params) {
      const g = p.grad;
      if (g !== null) {
        if (!isTensor(g)) throw new ArgumentError(`LBFGS.step: a parameter's grad is not a Tensor (got ${typeof g})`);
        if (g.size !== p.size || g.shape.some((d, i) => d !== p.shape[i])) {
          throw new ShapeError(`LBFGS.step: gradient of shape [${g.shape.join(',')}] does not match its parameter's shape [${p.shape.join(',')}]`);
        }
        out.set(g.dataSync(), offset);
      }
      offset += p.size;
    }
    return out;
  }

  private cloneParams(): Float64Array[] {
    return this.params.map((p) => Float64Array.from(p.dataSync()));
  }

  private setParams(values: readonly Float64Array[]): void {
    this.params.forEach((p, i) => LBFGS.assignHost(p, values[i]));
  }

  /** Writes host values into `p` (its dtype and backend); the temporary is freed at once. */
  private static assignHost(p: Tensor, values: Float64Array): void {
    const data = allocArray(p.dtype, values.length);
    data.set(values);
    const t = fromData('LBFGS', data, p.shape, { backend: p.backend });
    p.assign(t);
    t.dispose();
  }

  /** p ← p + stepSize·update, on each parameter's slice of the flat vector. */
  private addGrad(stepSize: number, update: Float64Array): void {
    let offset = 0;
    for (const p of this.params) {
      const data = Float64Array.from(p.dataSync());
      for (let i = 0; i < data.length; i++) data[i] += stepSize * update[offset + i];
      LBFGS.assignHost(p, data);
      offset += p.size;
    }
  }

  private evaluate<L>(closure: LBFGSClosure<L>): [L, number] {
    const value = withGradMode(true, closure);
    let loss: number;
    if (typeof value === 'number') loss = value;
    else if (isTensor(value) && value.size === 1) loss = Number(value.item());
    else {
      throw new ArgumentError(
        `LBFGS.step: the closure must return the loss as a one-element tensor or a number, got ${isTensor(value) ? value.describe() : value === null ? 'null' : typeof value}`,
      );
    }
    return [value, loss];
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations. `closure` must clear the gradients, recompute the
   * loss, call backward and return the loss; it may be called several times. Returns the loss
   * of the first evaluation, as PyTorch does.
   */
  override step<L = undefined>(closure?: LBFGSClosure<L>): L | undefined {
    if (typeof closure !== 'function') {
      throw new ArgumentError('LBFGS.step: a closure is required (one that calls zeroGrad, recomputes the loss, calls backward and returns the loss)');
    }
    for (const p of this.params) {
      if (p.grad !== null && isTensor(p.grad) && p.grad.dtype !== p.dtype) {
        throw new DTypeError(`LBFGS.step: gradient is ${p.grad.dtype} but its parameter is ${p.dtype}`);
      }
    }
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const state = this.memory;

    const [origLoss, firstLoss] = this.evaluate(closure);
    return noGrad(() => {
      let loss = firstLoss;
      let currentEvals = 1;
      state.funcEvals += 1;
      let flatGrad = this.gatherFlatGrad();
      let optCond = absMax(flatGrad) <= toleranceGrad;
      if (optCond) return origLoss;

      let { d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss } = state;
      let nIter = 0;
      while (nIter < maxIter) {
        nIter += 1;
        state.nIter += 1;

        // ---- descent direction ----
        if (state.nIter === 1 || d === null || prevFlatGrad === null) {
          d = scaled(flatGrad, -1);
          oldDirs = [];
          oldStps = [];
          ro = [];
          hDiag = 1;
        } else {
          const y = new Float64Array(flatGrad.length);
          for (let i = 0; i < y.length; i++) y[i] = flatGrad[i] - prevFlatGrad[i];
          const s = scaled(d, t);
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (oldDirs.length === historySize) {
              oldDirs.shift();
              oldStps.shift();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            // Scale of the initial inverse Hessian approximation.
            hDiag = ys / dot(y, y);
          }
          // Two-loop recursion: d = −H·g.
          const numOld = oldDirs.length;
          const al = new Array<number>(numOld);
          const q = scaled(flatGrad, -1);
          for (let i = numOld - 1; i >= 0; i--) {
            al[i] = dot(oldStps[i], q) * ro[i];
            axpy(q, -al[i], oldDirs[i]);
          }
          const r = scaled(q, hDiag);
          for (let i = 0; i < numOld; i++) {
            const be = dot(oldDirs[i], r) * ro[i];
            axpy(r, al[i] - be, oldStps[i]);
          }
          d = r;
        }
        prevFlatGrad = Float64Array.from(flatGrad);
        prevLoss = loss;

        // ---- step length ----
        t = state.nIter === 1 ? Math.min(1, 1 / absSum(flatGrad)) * lr : lr;
        const gtd = dot(flatGrad, d);
        // The directional derivative is below tolerance: not a descent direction any more.
        if (gtd > -toleranceChange) break;

        let lsFuncEvals = 0;
        if (lineSearchFn === 'strong_wolfe') {
          const xInit = this.cloneParams();
          const direction = d;
          const objective: Objective = (step) => {
            this.addGrad(step, direction);
            const [, f] = this.evaluate(closure);
            const g = this.gatherFlatGrad();
            this.setParams(xInit);
            return [f, g];
          };
          const r = strongWolfe(objective, t, d, loss, flatGrad, gtd, 1e-4, 0.9, toleranceChange);
          loss = r.loss;
          flatGrad = r.flatGrad;
          t = r.t;
          lsFuncEvals = r.funcEvals;
          this.addGrad(t, d);
          optCond = absMax(flatGrad) <= toleranceGrad;
        } else {
          this.addGrad(t, d);
          if (nIter !== maxIter) {
            // Re-evaluate only when another iteration follows (pointless in a stochastic setting).
            loss = this.evaluate(closure)[1];
            flatGrad = this.gatherFlatGrad();
            optCond = absMax(flatGrad) <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        state.funcEvals += lsFuncEvals;

        // ---- stopping conditions ----
        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        // Lack of progress.
        if (absMax(d) * Math.abs(t) <= toleranceChange) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }
      Object.assign(state, { d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss });
      return origLoss;
    });
  }

  /**
   * PyTorch's layout: the global state under parameter 0, with the history as tensors
   * (`oldDirs`/`oldStps` [m, n], `ro` [m], `d`/`prevFlatGrad` [n], float64 on the first
   * parameter's backend) and the scalars as numbers.
   */
  override stateDict(): OptimizerStateDict<LBFGSOptions> {
    const base = super.stateDict();
    const m = this.memory;
    if (m.nIter === 0 && m.funcEvals === 0) return base;
    const backend = this.params[0].backend;
    const vec = (v: Float64Array): Tensor => fromData('LBFGS.stateDict', Float64Array.from(v), [v.length], { dtype: 'float64', backend });
    const n = this.numel();
    const stackRows = (rows: Float64Array[]): Tensor => {
      const data = new Float64Array(rows.length * n);
      rows.forEach((r, i) => data.set(r, i * n));
      return fromData('LBFGS.stateDict', data, [rows.length, n], { dtype: 'float64', backend });
    };
    const entry: Record<string, StateValue> = { funcEvals: m.funcEvals, nIter: m.nIter, t: m.t, hDiag: m.hDiag, prevLoss: m.prevLoss };
    if (m.d) entry.d = vec(m.d);
    if (m.prevFlatGrad) entry.prevFlatGrad = vec(m.prevFlatGrad);
    entry.oldDirs = stackRows(m.oldDirs);
    entry.oldStps = stackRows(m.oldStps);
    entry.ro = vec(Float64Array.from(m.ro));
    return { ...base, state: { 0: entry } };
  }

  /** Restores a `stateDict()` of an LBFGS over parameters of the same total size. */
  override loadStateDict(stateDict: OptimizerStateDict<LBFGSOptions>): void {
    const who = 'LBFGS.loadStateDict';
    const raw = stateDict?.state;
    if (raw === null || typeof raw !== 'object') throw new ArgumentError(`${who}: expected { state, paramGroups } as returned by stateDict()`);
    const keys = Object.keys(raw);
    if (keys.some((k) => k !== '0')) throw new ArgumentError(`${who}: LBFGS keeps its state under parameter 0, got state for ${keys.join(', ')}`);
    const entry = (raw as Record<number, Record<string, StateValue> | undefined>)[0];
    const memory = LBFGS.freshMemory();
    if (entry !== undefined) {
      const n = this.numel();
      const num = (name: string): number => {
        const v = entry[name];
        if (typeof v !== 'number') throw new ArgumentError(`${who}: state[0].${name} must be a number, got ${isTensor(v) ? v.describe() : typeof v}`);
        return v;
      };
      const tensorOf = (name: string, shape: (rows: number) => boolean, expected: string): Float64Array | null => {
        const v = entry[name];
        if (v === undefined) return null;
        if (!isTensor(v)) throw new ArgumentError(`${who}: state[0].${name} must be a tensor, got ${typeof v}`);
        if (!shape(v.shape[0] ?? 0) || (v.rank === 2 && v.shape[1] !== n) || v.rank > 2) {
          throw new ShapeError(`${who}: state[0].${name} has shape [${v.shape.join(',')}], expected ${expected}`);
        }
        return Float64Array.from(v.dataSync());
      };
      const known = ['funcEvals', 'nIter', 't', 'hDiag', 'prevLoss', 'd', 'prevFlatGrad', 'oldDirs', 'oldStps', 'ro'];
      for (const k of Object.keys(entry)) if (!known.includes(k)) throw new ArgumentError(`${who}: state[0] has an entry '${k}' that LBFGS does not keep`);
      memory.funcEvals = num('funcEvals');
      memory.nIter = num('nIter');
      memory.t = num('t');
      memory.hDiag = num('hDiag');
      memory.prevLoss = num('prevLoss');
      const isVec = (name: string): boolean => isTensor(entry[name]) && (entry[name] as Tensor).rank === 1;
      for (const name of ['d', 'prevFlatGrad']) {
        if (entry[name] !== undefined && (!isVec(name) || (entry[name] as Tensor).shape[0] !== n)) {
          throw new ShapeError(`${who}: state[0].${name} must have shape [${n}] (the number of parameter elements)`);
        }
      }
      memory.d = tensorOf('d', (r) => r === n, `[${n}]`);
      memory.prevFlatGrad = tensorOf('prevFlatGrad', (r) => r === n, `[${n}]`);
      const dirs = tensorOf('oldDirs', () => true, `[m, ${n}]`);
      const stps = tensorOf('oldStps', () => true, `[m, ${n}]`);
      const ro = tensorOf('ro', () => true, '[m]') ?? new Float64Array(0);
      const rows = (flat: Float64Array | null): Float64Array[] =>
        flat ? Array.from({ length: flat.length / Math.max(n, 1) }, (_, i) => flat.slice(i * n, (i + 1) * n)) : [];
      memory.oldDirs = rows(dirs);
      memory.oldStps = rows(stps);
      memory.ro = Array.from(ro);
      if (memory.oldDirs.length !== memory.oldStps.length || memory.oldDirs.length !== memory.ro.length) {
        throw new ShapeError(`${who}: oldDirs, oldStps and ro must have the same number of rows, got ${memory.oldDirs.length}, ${memory.oldStps.length}, ${memory.ro.length}`);
      }
    }
    // The base class checks and restores the group options; the state is ours.
    super.loadStateDict({ state: {}, paramGroups: stateDict.paramGroups });
    this.memory = memory;
  }
}
