import type { Tensor } from '@plexus/tensor';
import { ArgumentError, fromData, noGrad } from '@plexus/tensor';
import { windowMean } from './series.js';

export interface ForecastOptions {
  /** Input window length the model was trained on. */
  window: number;
  /** The model was trained on mean-centred windows (slidingWindows with center: true). */
  center?: boolean;
}

/** A model mapping windows [1, window, 1] to the next values [1, horizon] (horizon >= 1). */
export interface WindowModel {
  forward(x: Tensor): Tensor;
}

/**
 * Forecasts `steps` values after `history` by feeding the model its own predictions: predict the
 * next `horizon` values from the last `window` values (observed or forecast), append them, repeat.
 * Runs without gradients; put the model in evaluation mode first.
 */
export function forecast(model: WindowModel, history: ArrayLike<number>, steps: number, options: ForecastOptions): Float64Array {
  const { window, center = false } = options;
  if (!Number.isInteger(window) || window < 1 || window > history.length) {
    throw new ArgumentError(`forecast: window must be an integer in [1, ${history.length}] (the history length), got ${String(window)}`);
  }
  if (!Number.isInteger(steps) || steps < 1) throw new ArgumentError(`forecast: steps must be a positive integer, got ${String(steps)}`);
  const values = Array.from(history);
  const start = values.length;
  noGrad(() => {
    while (values.length < start + steps) {
      const from = values.length - window;
      const m = center ? windowMean(values, from, window) : 0;
      const x = new Float32Array(window);
      for (let k = 0; k < window; k++) x[k] = values[from + k] - m;
      const y = model.forward(fromData('forecast', x, [1, window, 1]));
      if (y.rank !== 2 || y.shape[0] !== 1) throw new ArgumentError(`forecast: the model must map [1, ${window}, 1] to [1, horizon], got [${y.shape.join(',')}]`);
      for (const v of Array.from(y.dataSync() as ArrayLike<number>)) values.push(v + m);
    }
  });
  return Float64Array.from(values.slice(start, start + steps));
}
