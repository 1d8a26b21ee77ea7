import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, tensor, zeros } from '@plexus/tensor';
import { addingProblem, forecast, forecastErrors, rowSequences, seasonalNaive, seasonalSeries, slidingWindows } from '../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);

describe('addingProblem', () => {
  it('two markers, one per half; the target is the sum of the marked values', () => {
    const { x, y } = addingProblem(50, 10, { seed: 3 });
    expect(x.shape).toEqual([50, 10, 2]);
    expect(y.shape).toEqual([50, 1]);
    const xs = values(x);
    const ys = values(y);
    for (let i = 0; i < 50; i++) {
      const marked = [];
      let sum = 0;
      for (let t = 0; t < 10; t++) {
        const [v, m] = [xs[(i * 10 + t) * 2], xs[(i * 10 + t) * 2 + 1]];
        expect(v >= 0 && v < 1).toBe(true);
        expect(m === 0 || m === 1).toBe(true);
        if (m === 1) {
          marked.push(t);
          sum += v;
        }
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(5);
      expect(marked[1]).toBeGreaterThanOrEqual(5);
      expect(ys[i]).toBeCloseTo(sum, 5);
    }
  });

  it('is reproducible by seed, and always answering 1 gives MSE near 1/6', () => {
    expect(values(addingProblem(5, 8, { seed: 1 }).x)).toEqual(values(addingProblem(5, 8, { seed: 1 }).x));
    expect(values(addingProblem(5, 8, { seed: 1 }).x)).not.toEqual(values(addingProblem(5, 8, { seed: 2 }).x));
    const { y } = addingProblem(4000, 4, { seed: 0 });
    const mse = values(y).reduce((a, v) => a + (v - 1) ** 2, 0) / 4000;
    expect(Math.abs(mse - 1 / 6)).toBeLessThan(0.01);
  });

  it('rejects bad sizes', () => {
    expect(() => addingProblem(0, 10)).toThrow(ArgumentError);
    expect(() => addingProblem(3, 1)).toThrow(/length must be an integer >= 2, got 1/);
  });
});

describe('series helpers', () => {
  it('seasonalSeries follows level + trend·t + Σ a·sin(2πt/p + φ) (no noise)', () => {
    const s = seasonalSeries({ length: 30, level: 2, trend: 0.5, seasonalities: [{ period: 12, amplitude: 3 }, { period: 5, amplitude: 1, phase: 1 }] });
    s.forEach((v, t) => expect(v).toBeCloseTo(2 + 0.5 * t + 3 * Math.sin((2 * Math.PI * t) / 12) + Math.sin((2 * Math.PI * t) / 5 + 1), 12));
    const noisy = seasonalSeries({ length: 2000, noise: 2, seed: 4 });
    const sd = Math.sqrt(noisy.reduce((a, v) => a + v * v, 0) / 2000);
    expect(Math.abs(sd - 2)).toBeLessThan(0.15);
    expect(() => seasonalSeries({ length: 0 })).toThrow(ArgumentError);
    expect(() => seasonalSeries({ length: 5, seasonalities: [{ period: 0, amplitude: 1 }] })).toThrow(/period must be > 0/);
  });

  it('slidingWindows: every window and the values after it, optionally centred on the window mean', () => {
    const s = [1, 2, 3, 4, 5, 6];
    const { x, y } = slidingWindows(s, 3, 2);
    expect(x.shape).toEqual([2, 3, 1]);
    expect(values(x)).toEqual([1, 2, 3, 2, 3, 4]);
    expect(values(y)).toEqual([4, 5, 5, 6]);
    const c = slidingWindows(s, 3, 1, { center: true });
    expect(values(c.x)).toEqual([-1, 0, 1, -1, 0, 1, -1, 0, 1]);
    expect(values(c.y)).toEqual([2, 2, 2]);
    expect(() => slidingWindows(s, 6, 1)).toThrow(/has no window of 6 \+ 1/);
  });

  it('seasonalNaive repeats the last season; forecastErrors gives MAE and RMSE', () => {
    expect(Array.from(seasonalNaive([1, 2, 3, 4, 5], 5, 2))).toEqual([4, 5, 4, 5, 4]);
    expect(() => seasonalNaive([1, 2], 3, 3)).toThrow(ArgumentError);
    const e = forecastErrors([1, 2, 3, 4], [2, 2, 3, 1]);
    expect(e.mae).toBeCloseTo(1, 12);
    expect(e.rmse).toBeCloseTo(Math.sqrt(10 / 4), 12);
    expect(() => forecastErrors([1], [1, 2])).toThrow(ArgumentError);
  });

  it('forecast feeds predictions back, `horizon` values per call, undoing the centring', () => {
    // A "model" that continues a straight line: next values = last + slope·k, in centred units.
    const calls: number[][] = [];
    const line = {
      forward(x: Tensor): Tensor {
        const w = values(x);
        calls.push(w);
        const slope = w[w.length - 1] - w[w.length - 2];
        return tensor([[w[w.length - 1] + slope, w[w.length - 1] + 2 * slope]]);
      },
    };
    const history = [10, 11, 12, 13];
    const f = forecast(line, history, 5, { window: 3, center: true });
    expect(Array.from(f)).toEqual([14, 15, 16, 17, 18]);
    expect(calls).toHaveLength(3);
    // The first window, centred on its mean 12.
    expect(calls[0]).toEqual([-1, 0, 1]);
    expect(() => forecast(line, history, 5, { window: 9 })).toThrow(/window must be an integer in \[1, 4\]/);
    expect(() => forecast({ forward: () => zeros([2]) }, history, 2, { window: 2 })).toThrow(/must map \[1, 2, 1\] to \[1, horizon\]/);
  });

  it('rowSequences: images [N, 1, H, W] → [N, H, W]', () => {
    expect(rowSequences(zeros([2, 1, 28, 28])).shape).toEqual([2, 28, 28]);
    expect(() => rowSequences(zeros([2, 3, 28, 28]))).toThrow(ShapeError);
  });
});
