import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { gradCheckModule } from '@plexus/nn';
import { KERNELS, RBF } from '../src/index.js';
import { values } from './helpers.js';

const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });

describe('RBF layer', () => {
  it('computes each kernel by hand', () => {
    const centers = f64([[0, 0], [1, 2]]);
    const widths = f64([1, 2]);
    const x = f64([[3, 4]]);
    // r² to the centres: 25 and 8; σ² = 1 and 4.
    const expect64 = (kernel: (typeof KERNELS)[number], want: number[]) => {
      const got = values(new RBF(2, 2, { kernel, centers, widths, dtype: 'float64' }).forward(x));
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 14));
    };
    expect64('gaussian', [Math.exp(-25 / 2), Math.exp(-8 / 8)]);
    expect64('multiquadric', [Math.sqrt(26), Math.sqrt(12)]);
    expect64('inverse_multiquadric', [1 / Math.sqrt(26), 1 / Math.sqrt(12)]);
  });

  it('passes gradCheck in float64 w.r.t. inputs, centres and widths for every kernel', () => {
    for (const kernel of KERNELS) {
      manualSeed(5);
      const layer = new RBF(3, 4, { kernel, dtype: 'float64', widths: f64([0.8, 1.2, 1.5, 2]) });
      const named = layer.namedParameters();
      expect(named.map(([n]) => n)).toEqual(['centers', 'widths']);
      const r = gradCheckModule(layer, [randn([5, 3], { dtype: 'float64' }).mul(0.7)], (x) => layer.forward(x));
      expect([kernel, r.message]).toEqual([kernel, 'ok']);
    }
  });

  it('a centre on top of an input has a finite gradient (no √0 is differentiated)', () => {
    const layer = new RBF(1, 1, { kernel: 'multiquadric', centers: f64([[0.5]]), widths: f64([1]), dtype: 'float64' });
    const x = f64([[0.5]]).requiresGrad_();
    layer.forward(x).sum().backward();
    expect(values(x.grad!)).toEqual([0]);
    expect(Math.abs(values(layer.centers!.grad!)[0])).toBe(0);
  });

  it('keeps fixed centres and widths as buffers, not parameters', () => {
    const layer = new RBF(2, 3, { learnCenters: false, learnWidths: false, widths: 0.5 });
    expect(layer.parameters()).toHaveLength(0);
    expect(Object.keys(layer.stateDict()).sort()).toEqual(['fixedCenters', 'fixedWidths']);
    layer.setWidths(2);
    expect(values(layer.getWidths())).toEqual([2, 2, 2]);
    const half = new RBF(2, 3, { learnWidths: false });
    expect(half.namedParameters().map(([n]) => n)).toEqual(['centers']);
  });

  it('rejects bad shapes, widths and options with clear errors', () => {
    expect(() => new RBF(2, 3).forward(tensor([[1, 2, 3]]))).toThrow('RBF: expected input [N, 2], got [1,3]');
    expect(() => new RBF(2, 3, { centers: tensor([[1, 2]]) })).toThrow(/expected centers of shape \[3, 2\], got \[1,2\]/);
    expect(() => new RBF(2, 2, { widths: tensor([1, 0]) })).toThrow(/widths must be positive and finite, got 0 for centre 1/);
    expect(() => new RBF(2, 2, { widths: tensor([1]) })).toThrow(ShapeError);
    expect(() => new RBF(2, 2, { kernel: 'cubic' as 'gaussian' })).toThrow(/kernel must be one of/);
    expect(() => new RBF(0, 2)).toThrow(ArgumentError);
    expect(() => new RBF(2, 2, { dtype: 'int32' })).toThrow(DTypeError);
  });
});
