import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Box, Condition, PINNLogEntry, PINNTrainResult, PlotSpec } from '@plexus/pinn';
import {
  MLP, PINN, burgers, heatmapSpec, linePlotSpec, lossHistorySpec, maxAbsError, poisson1d, relativeL2, sampleBoundary,
  sampleGrid, sampleInitial, sampleLatinHypercube,
} from '@plexus/pinn';
import type { Tensor } from '@plexus/tensor';
import { getBackend, manualSeed, scope } from '@plexus/tensor';
import { writePlot } from '@plexus/train';
import type { PinnOptions, ProblemSettings } from './options.js';

/** What one problem's run measured. */
export interface ProblemResult {
  /** ‖u_PINN − u_exact‖₂ / ‖u_exact‖₂ on the evaluation grid. */
  relativeL2: number;
  maxAbsError: number;
  /** Evaluation grid size. */
  gridPoints: number;
  seconds: number;
  adamSteps: number;
  lbfgsIterations: number;
  lbfgsEvaluations: number;
  finalLoss: number;
  terms: Record<string, number>;
  layers: number[];
  /** Collocation points at the end (refinement included). */
  collocation: number;
}

export interface PinnResult {
  backend: string;
  dtype: string;
  seed: number;
  poisson?: ProblemResult;
  burgers?: ProblemResult;
  seconds: number;
  files: string[];
}

type Log = (line: string) => void;

const fmt = (v: number): string => v.toExponential(3);

/** A log line per entry; `error` (the current relative L2 error on the grid) is shown when given. */
function logger(name: string, log: Log, error?: () => number): (e: PINNLogEntry) => void {
  return (e) => {
    const terms = Object.entries(e.terms).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
    const what = e.phase === 'adam' ? `adam step ${e.step}` : `L-BFGS iteration ${e.step}`;
    const err = error ? `  rel. L2 error ${fmt(error())}` : '';
    log(`[${name}] ${what.padEnd(22)} loss ${fmt(e.loss)}  (${terms})${err}  ${e.seconds.toFixed(1)} s`);
  };
}

function sizes(inputs: number, s: ProblemSettings): number[] {
  return [inputs, ...new Array<number>(s.layers).fill(s.hidden), 1];
}

/**
 * Adam then L-BFGS, then `refineRounds` rounds of residual-based refinement (add the worst
 * candidates, L-BFGS again); the counts and times of all calls added up.
 */
async function trainAll(pinn: PINN, s: ProblemSettings, domain: Box, o: PinnOptions, log: Log, onLog: (e: PINNLogEntry) => void, name: string): Promise<PINNTrainResult> {
  const first = await pinn.train({ adam: { steps: s.adamSteps, lr: s.lr }, lbfgs: { maxIter: s.lbfgsIters }, logEvery: o.logEvery, onLog });
  const total = { ...first };
  for (let round = 1; round <= s.refineRounds; round++) {
    const candidates = sampleLatinHypercube(domain, s.refineCandidates, { seed: o.seed + 100 + round, dtype: o.dtype });
    const added = pinn.refine(candidates, Math.min(s.refinePoints, s.refineCandidates));
    log(`[${name}] refinement round ${round}: added the ${added.shape[0]} of ${s.refineCandidates} candidates with the largest residual (${pinn.collocation.shape[0]} collocation points now)`);
    const r = await pinn.train({ adam: false, lbfgs: { maxIter: s.refineIters }, logEvery: o.logEvery, onLog });
    total.lbfgsIterations += r.lbfgsIterations;
    total.lbfgsEvaluations += r.lbfgsEvaluations;
    total.seconds += r.seconds;
    total.loss = r.loss;
    total.terms = r.terms;
  }
  return total;
}

function summary(r: PINNTrainResult, errors: { rel: number; max: number; n: number }, layers: number[], collocation: number): ProblemResult {
  return {
    relativeL2: errors.rel,
    maxAbsError: errors.max,
    gridPoints: errors.n,
    seconds: r.seconds,
    adamSteps: r.adamSteps,
    lbfgsIterations: r.lbfgsIterations,
    lbfgsEvaluations: r.lbfgsEvaluations,
    finalLoss: r.loss,
    terms: r.terms,
    layers,
    collocation,
  };
}

async function plot(spec: PlotSpec, out: string, name: string, files: string[]): Promise<void> {
  const written = await writePlot(spec, join(out, name));
  files.push(written.png, written.svg);
}

/** −u'' = π² sin(πx) on [0, 1] with u(0) = u(1) = 0. */
async function runPoisson(o: PinnOptions, log: Log, files: string[]): Promise<ProblemResult> {
  const s = o.poisson;
  manualSeed(o.seed);
  const p = poisson1d();
  const layers = sizes(1, s);
  const model = new MLP(layers, { dtype: o.dtype, lower: p.domain.lower, upper: p.domain.upper });
  const boundary = sampleBoundary(p.domain, s.conditionPoints, { dtype: o.dtype });
  // Rows alternate faces as sampleBoundary lays them out: the first half at x = 0, the rest at x = 1.
  const boundaryValues = (x: Tensor): Tensor => x.lt(0.5).cast(x.dtype).mul(p.boundaryValues[0] - p.boundaryValues[1]).add(p.boundaryValues[1]);
  const pinn = new PINN({
    model,
    collocation: sampleLatinHypercube(p.domain, s.collocation, { seed: o.seed + 1, dtype: o.dtype }),
    residual: p.residual,
    conditions: [{ name: 'boundary', points: boundary, values: boundaryValues }],
    forwardDerivatives: o.derivatives === 'forward' ? { second: p.secondDerivatives } : undefined,
  });
  log(`[poisson] MLP ${layers.join('-')} tanh, ${s.collocation} collocation points, ${o.dtype}, ${o.derivatives}-mode derivatives`);
  const r = await trainAll(pinn, s, p.domain, o, log, logger('poisson', log), 'poisson');
  const grid = sampleGrid(p.domain, o.evalGrid.poisson, { dtype: 'float64' });
  const xs = Array.from(grid.dataSync());
  const pred = Array.from(pinn.predict(grid.cast(o.dtype)).dataSync());
  const exact = xs.map(p.exact);
  const errors = { rel: relativeL2(pred, exact), max: maxAbsError(pred, exact), n: xs.length };
  log(`[poisson] relative L2 error ${fmt(errors.rel)}, max |error| ${fmt(errors.max)} on ${xs.length} points, ${r.seconds.toFixed(1)} s`);
  if (o.plots) {
    await plot(linePlotSpec([
      { title: 'u(x)', yTitle: 'u', series: [{ name: 'exact sin(πx)', xs, ys: exact, dashed: true }, { name: 'PINN', xs, ys: pred }] },
      { title: '|u_PINN − u_exact|', yTitle: '|error|', logY: true, series: [{ name: '|error|', xs, ys: pred.map((v, i) => Math.abs(v - exact[i])) }] },
    ], { title: `Poisson −u'' = π² sin(πx): relative L2 error ${fmt(errors.rel)}` }), o.out, 'poisson', files);
    await plot(lossHistorySpec(r.history, { title: 'Poisson: loss (Adam, then L-BFGS)' }), o.out, 'poisson-loss', files);
  }
  return summary(r, errors, layers, pinn.collocation.shape[0]);
}

/** u_t + u·u_x = (0.01/π)·u_xx, u(0, x) = −sin(πx), u(t, ±1) = 0. */
async function runBurgers(o: PinnOptions, log: Log, files: string[]): Promise<ProblemResult> {
  const s = o.burgers;
  manualSeed(o.seed);
  const p = burgers();
  const layers = sizes(2, s);
  const model = new MLP(layers, { dtype: o.dtype, lower: p.domain.lower, upper: p.domain.upper });
  const conditions: Condition[] = [
    { name: 'initial', points: sampleInitial(p.domain, s.conditionPoints, { seed: o.seed + 2, dtype: o.dtype }), values: p.initial },
    { name: 'boundary', points: sampleBoundary(p.domain, s.conditionPoints, { seed: o.seed + 3, dims: [1], dtype: o.dtype }), values: (x) => x.narrow(1, 0, 1).mul(0).add(p.boundaryValue) },
  ];
  const pinn = new PINN({
    model,
    collocation: sampleLatinHypercube(p.domain, s.collocation, { seed: o.seed + 1, dtype: o.dtype }),
    residual: p.residual,
    conditions,
    forwardDerivatives: o.derivatives === 'forward' ? { second: p.secondDerivatives } : undefined,
  });
  // The reference: Hopf–Cole on the evaluation grid, checked at a point known by symmetry.
  const nt = o.evalGrid.burgersT;
  const nx = o.evalGrid.burgersX;
  const ts = Array.from({ length: nt }, (_, i) => (p.domain.upper[0] * i) / (nt - 1));
  const xs = Array.from({ length: nx }, (_, j) => -1 + (2 * j) / (nx - 1));
  const exact = new Float64Array(nt * nx);
  ts.forEach((t, i) => xs.forEach((x, j) => (exact[i * nx + j] = p.exact(t, x))));
  log(`[burgers] reference: Hopf–Cole with 256 Gauss–Hermite nodes on ${nt}×${nx} (t, x) points; u(0.25, 0) = ${p.exact(0.25, 0).toExponential(2)} (0 by symmetry)`);
  log(`[burgers] MLP ${layers.join('-')} tanh, ${s.collocation} collocation points, ${s.conditionPoints} initial + ${s.conditionPoints} boundary points, ${o.dtype}, ${o.derivatives}-mode derivatives`);
  const grid = sampleGrid(p.domain, [nt, nx], { dtype: o.dtype });
  const predict = (): Float64Array => Float64Array.from(scope(() => pinn.predict(grid)).dataSync());
  // The error on the grid at each log line (a forward pass, no derivatives): how training converges.
  const progress = (): number => relativeL2(predict(), exact);
  const r = await trainAll(pinn, s, p.domain, o, log, logger('burgers', log, progress), 'burgers');
  const pred = predict();
  const errors = { rel: relativeL2(pred, exact), max: maxAbsError(pred, exact), n: pred.length };
  log(`[burgers] relative L2 error ${fmt(errors.rel)}, max |error| ${fmt(errors.max)} on ${nt}×${nx} points, ${r.seconds.toFixed(1)} s`);
  if (o.plots) {
    // Raissi et al.'s layout: t across, x up.
    const transpose = (v: ArrayLike<number>): Float64Array => {
      const out = new Float64Array(v.length);
      for (let i = 0; i < nt; i++) for (let j = 0; j < nx; j++) out[j * nt + i] = v[i * nx + j];
      return out;
    };
    const err = pred.map((v, i) => Math.abs(v - exact[i]));
    const uDomain = [-1, 1] as const;
    await plot(heatmapSpec([
      { title: 'PINN u(t, x)', xs: ts, ys: xs, values: transpose(pred), domain: uDomain, legend: 'u' },
      { title: 'reference (Hopf–Cole)', xs: ts, ys: xs, values: transpose(exact), domain: uDomain, legend: 'u' },
      { title: '|error|', xs: ts, ys: xs, values: transpose(err), scheme: 'inferno', legend: '|error|' },
    ], { title: `Burgers, ν = 0.01/π: relative L2 error ${fmt(errors.rel)}`, xTitle: 't', yTitle: 'x', width: 300, height: 200 }), o.out, 'burgers', files);
    const slices = [0.25, 0.5, 0.75].map((t) => Math.round((t * (nt - 1)) / p.domain.upper[0]));
    await plot(linePlotSpec(slices.map((i) => ({
      title: `t = ${ts[i].toFixed(2)}`,
      yTitle: 'u(t, x)',
      series: [
        { name: 'exact', xs, ys: exact.subarray(i * nx, (i + 1) * nx), dashed: true },
        { name: 'PINN', xs, ys: pred.subarray(i * nx, (i + 1) * nx) },
      ],
    })), { title: 'Burgers: slices of the solution', width: 260, height: 200 }), o.out, 'burgers-slices', files);
    await plot(lossHistorySpec(r.history, { title: 'Burgers: loss (Adam, then L-BFGS)' }), o.out, 'burgers-loss', files);
  }
  return summary(r, errors, layers, pinn.collocation.shape[0]);
}

/** Runs the chosen problem(s), writes the plots and result.json into `out`. */
export async function run(o: PinnOptions, log: Log = console.log): Promise<PinnResult> {
  const start = performance.now();
  mkdirSync(o.out, { recursive: true });
  const files: string[] = [];
  const result: PinnResult = { backend: getBackend().name, dtype: o.dtype, seed: o.seed, seconds: 0, files };
  if (o.problem === 'poisson' || o.problem === 'both') result.poisson = await runPoisson(o, log, files);
  if (o.problem === 'burgers' || o.problem === 'both') result.burgers = await runBurgers(o, log, files);
  result.seconds = (performance.now() - start) / 1000;
  const json = join(o.out, 'result.json');
  files.push(json);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
