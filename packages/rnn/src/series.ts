import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, fromData } from '@plexus/tensor';

export interface Seasonality {
  period: number;
  amplitude: number;
  /** Phase in radians (default 0). */
  phase?: number;
}

export interface SeasonalSeriesOptions {
  /** Number of points. */
  length: number;
  /** Level at t = 0 (default 0). */
  level?: number;
  /** Added per step (default 0). */
  trend?: number;
  /** Sine seasonalities, e.g. [{ period: 24, amplitude: 2 }, { period: 96, amplitude: 1 }]. */
  seasonalities?: readonly Seasonality[];
  /** Standard deviation of Gaussian noise (default 0). */
  noise?: number;
  /** Seed of the noise (default 0). */
  seed?: number;
}

/** y_t = level + trend·t + Σ amplitude·sin(2πt/period + phase) + noise: a synthetic seasonal series. */
export function seasonalSeries(options: SeasonalSeriesOptions): Float64Array {
  const { length, level = 0, trend = 0, seasonalities = [], noise = 0, seed = 0 } = options;
  if (!Number.isInteger(length) || length < 1) throw new ArgumentError(`seasonalSeries: length must be a positive integer, got ${String(length)}`);
  if (!(noise >= 0)) throw new ArgumentError(`seasonalSeries: noise must be >= 0, got ${String(noise)}`);
  for (const s of seasonalities) {
    if (!(s.period > 0)) throw new ArgumentError(`seasonalSeries: each period must be > 0, got ${String(s.period)}`);
  }
  const eps = new Generator(seed).nextNormal(length);
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    let v = level + trend * t + noise * eps[t];
    for (const s of seasonalities) v += s.amplitude * Math.sin((2 * Math.PI * t) / s.period + (s.phase ?? 0));
    out[t] = v;
  }
  return out;
}

/**
 * Supervised pairs from a series: inputs [n, window, 1] of `window` consecutive values and
 * targets [n, horizon] of the `horizon` values after each window, for every start (stride 1).
 * With `center`, each window's own mean is subtracted from it and from its targets, so a model
 * learns shapes, not levels, and follows a trend beyond the training range.
 */
export function slidingWindows(series: ArrayLike<number>, window: number, horizon = 1, options: { center?: boolean } = {}): { x: Tensor; y: Tensor } {
  const n = series.length - window - horizon + 1;
  if (!Number.isInteger(window) || window < 1 || !Number.isInteger(horizon) || horizon < 1) {
    throw new ArgumentError(`slidingWindows: window and horizon must be positive integers, got ${String(window)} and ${String(horizon)}`);
  }
  if (n < 1) throw new ArgumentError(`slidingWindows: a series of ${series.length} points has no window of ${window} + ${horizon}`);
  const x = new Float32Array(n * window);
  const y = new Float32Array(n * horizon);
  for (let i = 0; i < n; i++) {
    const m = options.center ? windowMean(series, i, window) : 0;
    for (let k = 0; k < window; k++) x[i * window + k] = series[i + k] - m;
    for (let k = 0; k < horizon; k++) y[i * horizon + k] = series[i + window + k] - m;
  }
  return { x: fromData('slidingWindows', x, [n, window, 1]), y: fromData('slidingWindows', y, [n, horizon]) };
}

export function windowMean(series: ArrayLike<number>, start: number, window: number): number {
  let s = 0;
  for (let k = 0; k < window; k++) s += series[start + k];
  return s / window;
}

/** The seasonal-naive forecast: each future value repeats the value one `period` earlier (the last observed season, repeated). */
export function seasonalNaive(history: ArrayLike<number>, horizon: number, period: number): Float64Array {
  if (!Number.isInteger(period) || period < 1 || period > history.length) {
    throw new ArgumentError(`seasonalNaive: period must be an integer in [1, ${history.length}], got ${String(period)}`);
  }
  const out = new Float64Array(horizon);
  const start = history.length - period;
  for (let h = 0; h < horizon; h++) out[h] = history[start + (h % period)];
  return out;
}

/** Mean absolute error and root mean squared error of a forecast. */
export function forecastErrors(actual: ArrayLike<number>, forecast: ArrayLike<number>): { mae: number; rmse: number } {
  if (actual.length !== forecast.length || actual.length === 0) {
    throw new ArgumentError(`forecastErrors: expected two non-empty series of one length, got ${actual.length} and ${forecast.length}`);
  }
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i] - forecast[i];
    abs += Math.abs(e);
    sq += e * e;
  }
  return { mae: abs / actual.length, rmse: Math.sqrt(sq / actual.length) };
}
