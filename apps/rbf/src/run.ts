import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeMoons } from '@plexus/data';
import { crossEntropy } from '@plexus/nn';
import { Adam } from '@plexus/optim';
import type { PlotSpec } from '@plexus/pinn';
import { heatmapSpec, linePlotSpec } from '@plexus/pinn';
import { RBFNetwork } from '@plexus/rbf';
import type { Tensor } from '@plexus/tensor';
import { Generator, fromData, getBackend, manualSeed, noGrad, scope, tensor } from '@plexus/tensor';
import { writePlot } from '@plexus/train';
import type { RbfOptions } from './options.js';
import { TASK_DEFAULTS } from './options.js';

export interface FitResult {
  /** RMSE on the test grid. */
  rmse: number;
  trainRmse: number;
  centers: number;
  samples: number;
  testPoints: number;
  seconds: number;
}

export interface MoonsResult {
  testAccuracy: number;
  trainAccuracy: number;
  centers: number;
  trainSamples: number;
  testSamples: number;
  noise: number;
  seconds: number;
}

export interface RbfResult {
  backend: string;
  kernel: string;
  readout: string;
  seed: number;
  fit1d?: FitResult;
  fit2d?: FitResult;
  moons?: MoonsResult;
  seconds: number;
  files: string[];
}

type Log = (line: string) => void;

/** The demo functions. */
const f1 = (x: number): number => Math.sin(3 * x) * Math.exp(-(x * x) / 10) + 0.2 * x;
const f2 = (x: number, y: number): number => Math.sin(Math.PI * x) * Math.cos(Math.PI * y);

const column = (v: ArrayLike<number>, d: number): Tensor => fromData('rbf demo', Float64Array.from(v), [v.length / d, d]);
const rmseOf = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
};
const predict = (net: RBFNetwork, x: Tensor): Float64Array => Float64Array.from(scope(() => noGrad(() => net.forward(x))).dataSync());

/** Full-batch Adam on every parameter (readout, centres, widths), from the k-means start. */
function trainGd(net: RBFNetwork, loss: () => Tensor, o: RbfOptions, log: Log, name: string): void {
  const opt = new Adam(net.parameters(), { lr: o.lr });
  for (let step = 1; step <= o.epochs; step++) {
    const value = scope(() => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
      return l.item() as number;
    });
    if (step === 1 || step % Math.max(1, Math.round(o.epochs / 5)) === 0) log(`[${name}] gd step ${step}: loss ${value.toExponential(3)}`);
  }
}

/** Fits centres (k-means), widths, and the readout. */
function fitRegression(net: RBFNetwork, x: Tensor, y: Tensor, o: RbfOptions, log: Log, name: string): void {
  net.initCenters(x, { seed: o.seed, widthRule: o.widthRule, widthScale: o.widthScale });
  if (o.readout === 'lstsq') {
    net.fitReadout(x, y, { ridge: o.ridge });
  } else {
    trainGd(net, () => net.forward(x).sub(y).square().mean(), o, log, name);
  }
}

async function plot(spec: PlotSpec, out: string, name: string, files: string[]): Promise<void> {
  const written = await writePlot(spec, join(out, name));
  files.push(written.png, written.svg);
}

async function runFit1d(o: RbfOptions, log: Log, files: string[]): Promise<FitResult> {
  const start = performance.now();
  const k = o.centers ?? TASK_DEFAULTS.fit1d.centers;
  const n = o.samples ?? TASK_DEFAULTS.fit1d.samples;
  const g = new Generator(o.seed);
  const xs = Array.from(g.nextUniform(n), (u) => -4 + 8 * u);
  const x = column(xs, 1);
  const y = column(xs.map(f1), 1);
  const net = new RBFNetwork(1, k, 1, { kernel: o.kernel, dtype: 'float64' });
  fitRegression(net, x, y, o, log, 'fit1d');
  const gridX = Array.from({ length: 1001 }, (_, i) => -4 + (8 * i) / 1000);
  const pred = predict(net, column(gridX, 1));
  const exact = gridX.map(f1);
  const result: FitResult = {
    rmse: rmseOf(pred, exact), trainRmse: rmseOf(predict(net, x), xs.map(f1)), centers: k, samples: n, testPoints: gridX.length, seconds: 0,
  };
  log(`[fit1d] ${k} ${o.kernel} centres, ${n} samples: test RMSE ${result.rmse.toExponential(3)} on ${gridX.length} points (train ${result.trainRmse.toExponential(3)})`);
  if (o.plots) {
    const centres = Array.from(net.rbf.getCenters().dataSync());
    await plot(linePlotSpec([{
      title: `${k} ${o.kernel} centres, test RMSE ${result.rmse.toExponential(2)}`,
      yTitle: 'f(x)',
      series: [
        { name: 'f(x) = sin(3x)·exp(−x²/10) + 0.2x', xs: gridX, ys: exact, dashed: true },
        { name: 'RBF network', xs: gridX, ys: pred },
        { name: 'training samples', xs, ys: xs.map(f1), mark: 'point' },
        { name: 'centres (on the fit)', xs: centres, ys: predict(net, column(centres, 1)), mark: 'point' },
      ],
    }], { title: 'RBF network: 1-D function approximation', width: 560, height: 300 }), o.out, 'fit1d', files);
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

async function runFit2d(o: RbfOptions, log: Log, files: string[]): Promise<FitResult> {
  const start = performance.now();
  const k = o.centers ?? TASK_DEFAULTS.fit2d.centers;
  const n = o.samples ?? TASK_DEFAULTS.fit2d.samples;
  const u = new Generator(o.seed + 1).nextUniform(2 * n);
  const pts = Array.from(u, (v) => -1 + 2 * v);
  const x = column(pts, 2);
  const targets = Array.from({ length: n }, (_, i) => f2(pts[2 * i], pts[2 * i + 1]));
  const y = column(targets, 1);
  const net = new RBFNetwork(2, k, 1, { kernel: o.kernel, dtype: 'float64' });
  fitRegression(net, x, y, o, log, 'fit2d');
  const m = 51;
  const axis = Array.from({ length: m }, (_, i) => -1 + (2 * i) / (m - 1));
  const grid = axis.flatMap((gy) => axis.flatMap((gx) => [gx, gy]));
  const pred = predict(net, column(grid, 2));
  const exact = axis.flatMap((gy) => axis.map((gx) => f2(gx, gy)));
  const result: FitResult = {
    rmse: rmseOf(pred, exact), trainRmse: rmseOf(predict(net, x), targets), centers: k, samples: n, testPoints: m * m, seconds: 0,
  };
  log(`[fit2d] ${k} ${o.kernel} centres, ${n} samples: test RMSE ${result.rmse.toExponential(3)} on ${m}×${m} points (train ${result.trainRmse.toExponential(3)})`);
  if (o.plots) {
    const c = Array.from(net.rbf.getCenters().dataSync());
    const centres = Array.from({ length: k }, (_, i) => ({ x: c[2 * i], y: c[2 * i + 1], group: 'centres' }));
    await plot(heatmapSpec([
      { title: 'RBF network', xs: axis, ys: axis, values: pred, domain: [-1, 1], legend: 'f', points: centres },
      { title: 'sin(πx)·cos(πy)', xs: axis, ys: axis, values: exact, domain: [-1, 1], legend: 'f' },
      { title: '|error|', xs: axis, ys: axis, values: pred.map((v, i) => Math.abs(v - exact[i])), scheme: 'inferno', legend: '|error|' },
    ], { title: `RBF network, ${k} centres: 2-D test RMSE ${result.rmse.toExponential(2)}`, width: 260, height: 260 }), o.out, 'fit2d', files);
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

async function runMoons(o: RbfOptions, log: Log, files: string[]): Promise<MoonsResult> {
  const start = performance.now();
  const k = o.centers ?? TASK_DEFAULTS.moons.centers;
  const n = o.samples ?? TASK_DEFAULTS.moons.samples;
  const data = makeMoons(n, { noise: o.noise, seed: o.seed });
  // makeMoons shuffles: the first 70% train, the rest test.
  const nTrain = Math.round(0.7 * n);
  const x = data.x.cast('float64');
  const xTrain = x.narrow(0, 0, nTrain);
  const yTrain = data.y.narrow(0, 0, nTrain);
  const xTest = x.narrow(0, nTrain, n - nTrain);
  const yTest = data.y.narrow(0, nTrain, n - nTrain);
  const net = new RBFNetwork(2, k, 2, { kernel: o.kernel, dtype: 'float64' });
  net.initCenters(xTrain, { seed: o.seed, widthRule: o.widthRule, widthScale: o.widthScale });
  if (o.readout === 'lstsq') net.fitReadout(xTrain, yTrain, { ridge: o.ridge });
  else trainGd(net, () => crossEntropy(net.forward(xTrain), yTrain), o, log, 'moons');
  const accuracy = (xs: Tensor, ys: Tensor): number => {
    const pred = scope(() => noGrad(() => net.forward(xs).argmax(1))).dataSync();
    const truth = ys.dataSync();
    let right = 0;
    for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) right++;
    return right / truth.length;
  };
  const result: MoonsResult = {
    testAccuracy: accuracy(xTest, yTest), trainAccuracy: accuracy(xTrain, yTrain), centers: k, trainSamples: nTrain, testSamples: n - nTrain, noise: o.noise, seconds: 0,
  };
  log(`[moons] ${k} ${o.kernel} centres, noise ${o.noise}: test accuracy ${(100 * result.testAccuracy).toFixed(2)}% on ${n - nTrain} points (train ${(100 * result.trainAccuracy).toFixed(2)}%)`);
  if (o.plots) {
    const gx = Array.from({ length: 121 }, (_, i) => -1.6 + (4.2 * i) / 120);
    const gy = Array.from({ length: 81 }, (_, i) => -1.1 + (2.8 * i) / 80);
    const grid = tensor(gy.flatMap((b) => gx.map((a) => [a, b])), { dtype: 'float64' });
    const out = predict(net, grid);
    const score = Array.from({ length: gx.length * gy.length }, (_, i) => out[2 * i + 1] - out[2 * i]);
    const xt = Array.from(xTest.dataSync());
    const yt = Array.from(yTest.dataSync());
    const c = Array.from(net.rbf.getCenters().dataSync());
    const points = [
      ...yt.map((label, i) => ({ x: xt[2 * i], y: xt[2 * i + 1], group: `test, class ${label}` })),
      ...Array.from({ length: k }, (_, i) => ({ x: c[2 * i], y: c[2 * i + 1], group: 'centres' })),
    ];
    await plot(heatmapSpec([{ title: `decision function (score 1 − score 0), test accuracy ${(100 * result.testAccuracy).toFixed(1)}%`, xs: gx, ys: gy, values: score, legend: 'score', points }], {
      title: `RBF network on two moons (${k} ${o.kernel} centres, noise ${o.noise})`, width: 520, height: 340,
    }), o.out, 'moons', files);
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

/** Runs the chosen task(s), writes the plots and result.json into `out`. */
export async function run(o: RbfOptions, log: Log = console.log): Promise<RbfResult> {
  const start = performance.now();
  manualSeed(o.seed);
  mkdirSync(o.out, { recursive: true });
  const files: string[] = [];
  const result: RbfResult = { backend: getBackend().name, kernel: o.kernel, readout: o.readout, seed: o.seed, seconds: 0, files };
  if (o.task === 'fit1d' || o.task === 'all') result.fit1d = await runFit1d(o, log, files);
  if (o.task === 'fit2d' || o.task === 'all') result.fit2d = await runFit2d(o, log, files);
  if (o.task === 'moons' || o.task === 'all') result.moons = await runMoons(o, log, files);
  result.seconds = (performance.now() - start) / 1000;
  const json = join(o.out, 'result.json');
  files.push(json);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
