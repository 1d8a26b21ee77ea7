import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { gradCheckModule } from '@plexus/nn';
import { MLP } from '../src/index.js';
import { values } from './helpers.js';

describe('MLP', () => {
  it('stacks Linear layers with the activation between them, none after the last', () => {
    const net = new MLP([2, 3, 1], { dtype: 'float64' });
    expect(net.parameters().map((p) => p.shape)).toEqual([[3, 2], [3], [1, 3], [1]]);
    net.loadStateDict({
      'layers.0.weight': tensor([[1, 0], [0, 1], [1, 1]], { dtype: 'float64' }),
      'layers.0.bias': tensor([0, 0, 0], { dtype: 'float64' }),
      'layers.1.weight': tensor([[1, 2, 3]], { dtype: 'float64' }),
      'layers.1.bias': tensor([0.5], { dtype: 'float64' }),
    });
    const y = values(net.forward(tensor([[0.2, -0.4]], { dtype: 'float64' })));
    expect(y[0]).toBeCloseTo(Math.tanh(0.2) + 2 * Math.tanh(-0.4) + 3 * Math.tanh(-0.2) + 0.5, 14);
  });

  it('maps the input box to [−1, 1] before the first layer', () => {
    const net = new MLP([2, 1], { dtype: 'float64', lower: [0, -1], upper: [1, 3] });
    net.loadStateDict({ 'layers.0.weight': tensor([[1, 10]], { dtype: 'float64' }), 'layers.0.bias': tensor([0], { dtype: 'float64' }) }, { strict: false });
    // (t, x) = (1, −1) ↦ (1, −1); (0.5, 1) ↦ (0, 0).
    expect(values(net.forward(tensor([[1, -1], [0.5, 1]], { dtype: 'float64' })))).toEqual([1 - 10, 0]);
    expect(Object.keys(net.stateDict()).sort()).toEqual(['inputScale', 'inputShift', 'layers.0.bias', 'layers.0.weight']);
  });

  it('uses Xavier-normal weights and zero biases', () => {
    manualSeed(1);
    const net = new MLP([20, 20, 20, 1], { dtype: 'float64' });
    const w = values(net.layers.at(1).weight);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(Math.abs(std - Math.sqrt(2 / 40))).toBeLessThan(0.03);
    expect(values(net.layers.at(0).bias!).every((v) => v === 0)).toBe(true);
  });

  it('passes gradCheck in float64 w.r.t. input and parameters, for each activation', () => {
    for (const activation of ['tanh', 'sin', 'sigmoid', 'softplus', 'gelu', 'silu'] as const) {
      manualSeed(2);
      const net = new MLP([2, 4, 3, 1], { dtype: 'float64', activation, lower: [0, -1], upper: [1, 1] });
      const r = gradCheckModule(net, [randn([3, 2], { dtype: 'float64' })], (x) => net.forward(x));
      expect([activation, r.message]).toEqual([activation, 'ok']);
    }
  });

  it('rejects bad sizes, options and inputs', () => {
    expect(() => new MLP([2])).toThrow(/at least two positive integers/);
    expect(() => new MLP([2, 0, 1])).toThrow(ArgumentError);
    expect(() => new MLP([2, 1], { activation: 'relu' as 'tanh' })).toThrow(/activation must be one of/);
    expect(() => new MLP([2, 1], { lower: [0, 0] })).toThrow(/both lower and upper/);
    expect(() => new MLP([2, 1], { lower: [0], upper: [1] })).toThrow(/must have 2 entries/);
    expect(() => new MLP([1, 1], { lower: [1], upper: [1] })).toThrow(/lower\[0\] < upper\[0\]/);
    expect(() => new MLP([2, 1], { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => new MLP([2, 1]).forward(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new MLP([2, 1]).forward(tensor([[1, 2, 3]]))).toThrow('MLP: expected input [N, 2], got [1,3]');
  });
});
