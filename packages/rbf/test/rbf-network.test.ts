import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, ShapeError, linspace, manualSeed, tensor } from '@plexus/tensor';
import { Adam } from '@plexus/optim';
import { RBFNetwork, cholesky, choleskySolve, ridgeSolve, widthsFromCenters } from '../src/index.js';
import { values } from './helpers.js';

const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });

describe('least squares', () => {
  it('Cholesky solves an SPD system and refuses an indefinite one', () => {
    // A = [[4, 2], [2, 3]], b = [2, 1] → x = [0.5, 0].
    const l = cholesky(Float64Array.of(4, 2, 2, 3), 2);
    expect(Array.from(l)).toEqual([2, 0, 1, Math.sqrt(2)]);
    expect(Array.from(choleskySolve(l, 2, Float64Array.of(2, 1), 1))).toEqual([0.5, 0]);
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(PlexusError);
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite \(pivot 1 is -3\)/);
  });

  it('ridge regression matches the normal equations by hand, bias unpenalised', () => {
    // Φ = [x, 1] for x = 0, 1, 2 and y = 1, 3, 5 (y = 2x + 1): exact fit with λ = 0.
    const phi = Float64Array.of(0, 1, 1, 1, 2, 1);
    expect(Array.from(ridgeSolve(phi, 3, 2, Float64Array.of(1, 3, 5), 1, 0)).map((v) => Number(v.toFixed(12)))).toEqual([2, 1]);
    // λ = 1 on the slope only: ΦᵀΦ + λ·diag(1, 0) = [[6, 3], [3, 3]], Φᵀy = [13, 9] → w = 4/3, b = 5/3.
    const [w, b] = ridgeSolve(phi, 3, 2, Float64Array.of(1, 3, 5), 1, 1, [1]);
    expect(w).toBeCloseTo(4 / 3, 12);
    expect(b).toBeCloseTo(5 / 3, 12);
  });
});

describe('RBFNetwork', () => {
  it('fitReadout recovers the readout of a teacher network exactly', () => {
    manualSeed(0);
    const centers = f64([[-1], [0], [1.5]]);
    const teacher = new RBFNetwork(1, 3, 2, { centers, widths: 0.7, dtype: 'float64' });
    teacher.readout.loadStateDict({ weight: f64([[1, -2, 0.5], [0.3, 0.2, -1]]), bias: f64([0.25, -0.5]) });
    const x = linspace(-2, 2, 40, { dtype: 'float64' }).reshape([40, 1]);
    const y = teacher.forward(x).detach();
    const student = new RBFNetwork(1, 3, 2, { centers, widths: 0.7, dtype: 'float64' });
    const { rmse } = student.fitReadout(x, y, { ridge: 0 });
    expect(rmse).toBeLessThan(1e-12);
    values(student.readout.weight).forEach((v, i) => expect(v).toBeCloseTo([1, -2, 0.5, 0.3, 0.2, -1][i], 10));
    values(student.readout.bias!).forEach((v, i) => expect(v).toBeCloseTo([0.25, -0.5][i], 10));
    // A large ridge shrinks the weights but not the bias.
    const shrunk = new RBFNetwork(1, 3, 2, { centers, widths: 0.7, dtype: 'float64' });
    shrunk.fitReadout(x, y, { ridge: 1e6 });
    expect(Math.max(...values(shrunk.readout.weight).map(Math.abs))).toBeLessThan(1e-3);
  });

  it('least-squares classification from class indices separates two clusters', () => {
    const net = new RBFNetwork(2, 2, 2, { dtype: 'float64' });
    const x = f64([[0, 0], [0.2, 0.1], [-0.1, 0.2], [3, 3], [3.1, 2.9], [2.8, 3.2]]);
    net.initCenters(x, { seed: 1 });
    net.fitReadout(x, tensor([0, 0, 0, 1, 1, 1], { dtype: 'int32' }), { ridge: 1e-6 });
    expect(values(net.forward(x).argmax(1))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('initCenters places the centres by k-means and sets widths by the chosen rule', () => {
    const x = f64([[0], [0.1], [5], [5.1], [10], [10.1]]);
    const net = new RBFNetwork(1, 3, 1, { dtype: 'float64' });
    net.initCenters(x, { seed: 0, widthRule: 'global' });
    expect(values(net.rbf.getCenters()).sort((a, b) => a - b).map((v) => Number(v.toFixed(10)))).toEqual([0.05, 5.05, 10.05]);
    // Global rule: d_max / √(2k) = 10 / √6.
    values(net.rbf.getWidths()).forEach((v) => expect(v).toBeCloseTo(10 / Math.sqrt(6), 10));
    net.initCenters(x, { seed: 0, widthRule: 'nearest', neighbours: 1, widthScale: 2 });
    values(net.rbf.getWidths()).forEach((v) => expect(v).toBeCloseTo(10, 10));
    expect(Array.from(widthsFromCenters(Float64Array.of(0, 3, 4), 3, 1, 'nearest', { neighbours: 2 })).map((v) => Number(v.toFixed(12)))).toEqual(
      [Math.sqrt((9 + 16) / 2), Math.sqrt((1 + 9) / 2), Math.sqrt((1 + 16) / 2)].map((v) => Number(v.toFixed(12))),
    );
  });

  it('trains end to end by gradient descent, centres and widths included', () => {
    manualSeed(3);
    const x = linspace(-3, 3, 64).reshape([64, 1]);
    const y = x.sin();
    const net = new RBFNetwork(1, 8, 1);
    net.initCenters(x, { seed: 2 });
    const before = values(net.rbf.getCenters());
    const opt = new Adam(net.parameters(), { lr: 0.05 });
    const loss = () => net.forward(x).sub(y).square().mean();
    const first = loss().item() as number;
    for (let i = 0; i < 150; i++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    expect(loss().item()).toBeLessThan(first / 20);
    expect(values(net.rbf.getCenters())).not.toEqual(before);
  });

  it('rejects more centres than points and mismatched targets', () => {
    const net = new RBFNetwork(2, 5, 1);
    expect(() => net.initCenters(tensor([[0, 0], [1, 1]]))).toThrow(ArgumentError);
    expect(() => net.initCenters(tensor([[0, 0], [1, 1]]))).toThrow('RBFNetwork.initCenters: 5 centres need at least 5 points, got 2; use fewer centres or more data');
    expect(() => net.initCenters(tensor([[0], [1]]))).toThrow(ShapeError);
    const x = tensor([[0, 0], [1, 1], [2, 2]]);
    expect(() => net.fitReadout(x, tensor([1, 2]))).toThrow(/expected 3 targets/);
    expect(() => net.fitReadout(x, tensor([[1, 2], [1, 2], [1, 2]]))).toThrow(/expected targets \[3, 1\] or \[3\], got \[3,2\]/);
    expect(() => new RBFNetwork(2, 2, 2).fitReadout(x, tensor([0, 1, 2], { dtype: 'int32' }))).toThrow(/class index 2 at row 2 is out of range for 2 outputs/);
  });
});
