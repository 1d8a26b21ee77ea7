import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, tensor } from '@plexus/tensor';
import { ExponentialMovingAverage } from '../src/index.js';
import { f64, values } from './helpers.js';

/** A toy model: two parameters and two buffers (a float one and an integer counter), set from outside. */
function toyModel() {
  const model = {
    w: f64([1, 2]).requiresGrad_(),
    b: f64([-1]).requiresGrad_(),
    runningMean: f64([0.5]),
    count: tensor([0], { dtype: 'int32' }),
    namedParameters: (): [string, Tensor][] => [['w', model.w], ['b', model.b]],
    namedBuffers: (): [string, Tensor][] => [['runningMean', model.runningMean], ['count', model.count]],
  };
  return model;
}

const avg = (ema: ExponentialMovingAverage) => Object.fromEntries(Object.entries(ema.averages()).map(([k, t]) => [k, values(t)]));

describe('ExponentialMovingAverage', () => {
  it('copies on the first update, then avg ← avg + (1 − decay)·(p − avg) exactly; buffers copied', () => {
    const m = toyModel();
    const ema = new ExponentialMovingAverage(m, { decay: 0.75 });
    expect(avg(ema)).toEqual({ w: [1, 2], b: [-1], runningMean: [0.5], count: [0] });
    m.w = f64([3, 4]);
    ema.update(); // the first update copies, as AveragedModel does
    expect(avg(ema).w).toEqual([3, 4]);
    const steps = [[[5, 0], [1], [0.25], 1], [[-3, 8], [2], [0.75], 2], [[1, 1], [-4], [1.5], 3]] as const;
    let w = [3, 4];
    let b = -1;
    for (const [wNew, [bNew], [mean], count] of steps) {
      m.w = f64([...wNew]);
      m.b = f64([bNew]);
      m.runningMean = f64([mean]);
      m.count = tensor([count], { dtype: 'int32' });
      ema.update();
      w = w.map((v, i) => v + 0.25 * (wNew[i] - v));
      b = b + 0.25 * (bNew - b);
      expect(avg(ema)).toEqual({ w, b: [b], runningMean: [mean], count: [count] });
    }
    // By hand: w0 = 3 → 3 + .25·2 = 3.5 → 3.5 − .25·6.5 = 1.875 → 1.875 − .25·.875 = 1.65625.
    expect(avg(ema).w[0]).toBe(1.65625);
    expect(ema.numUpdates).toBe(4);
  });

  it("averages floating buffers with buffers: 'average', still copying integer ones", () => {
    const m = toyModel();
    const ema = new ExponentialMovingAverage(m, { decay: 0.5, buffers: 'average' });
    ema.update();
    m.runningMean = f64([1.5]);
    m.count = tensor([7], { dtype: 'int32' });
    ema.update();
    expect(avg(ema).runningMean).toEqual([1]);
    expect(avg(ema).count).toEqual([7]);
  });

  it('round-trips its state dict, and rejects mismatched states and bad options with typed errors', () => {
    const m = toyModel();
    const ema = new ExponentialMovingAverage(m, { decay: 0.9 });
    ema.update();
    m.w = f64([0, 0]);
    ema.update();
    const restored = new ExponentialMovingAverage(toyModel(), { decay: 0.9 });
    restored.loadStateDict(ema.stateDict());
    expect(avg(restored)).toEqual(avg(ema));
    expect(restored.numUpdates).toBe(2);
    const { averages } = ema.stateDict();
    expect(() => restored.loadStateDict({ averages: { ...averages, w: f64([1, 2, 3]) }, numUpdates: 1 })).toThrow(ShapeError);
    expect(() => restored.loadStateDict({ averages: { ...averages, w: tensor([1, 2]) }, numUpdates: 1 })).toThrow(DTypeError);
    expect(() => restored.loadStateDict({ averages: { w: averages.w }, numUpdates: 1 })).toThrow('ExponentialMovingAverage.loadStateDict: missing "b", "runningMean", "count"; unexpected none');
    expect(() => restored.loadStateDict({ averages, numUpdates: -1 })).toThrow(ArgumentError);
    expect(() => new ExponentialMovingAverage(m, { decay: 1 })).toThrow('ExponentialMovingAverage: decay must be a number in [0, 1), got 1');
    expect(() => new ExponentialMovingAverage(m, { buffers: 'mean' as 'copy' })).toThrow(ArgumentError);
    expect(() => new ExponentialMovingAverage(null as unknown as typeof m)).toThrow(ArgumentError);
  });
});
