import { join } from 'node:path';
import { DataLoader, TensorDataset } from '@plexus/data';
import { mseLoss } from '@plexus/nn';
import { Adam, OneCycleLR } from '@plexus/optim';
import type { CellType } from '@plexus/rnn';
import { SequenceRegressor, forecast, forecastErrors, seasonalNaive, seasonalSeries, slidingWindows } from '@plexus/rnn';
import { Generator, manualSeed } from '@plexus/tensor';
import { fit } from '@plexus/train';
import type { RnnOptions } from './options.js';
import { plotForecast } from './plot.js';

/** The series: trend + a short and a long season + noise; 80% to train, the rest to forecast. */
export const SERIES = {
  length: 1000,
  level: 10,
  trend: 0.01,
  seasonalities: [
    { period: 12, amplitude: 1.5 },
    { period: 60, amplitude: 3 },
  ],
  noise: 0.5,
  /** The combined seasonal period (lcm of 12 and 60), used by the seasonal-naive baseline. */
  period: 60,
  trainFraction: 0.8,
};

export interface ForecastModelResult {
  cell: CellType;
  params: number;
  mae: number;
  rmse: number;
  trainLoss: number;
  seconds: number;
}

/**
 * Trains on windows of the first 80% of a noisy seasonal series (each window centred on its own
 * mean, so the trend is followed), then forecasts the remaining 20% autoregressively: each call
 * predicts the next `horizon` values from the last `window` values, observed or forecast.
 */
export async function runForecast(o: RnnOptions, log: (line: string) => void): Promise<{ models: ForecastModelResult[]; seasonalNaive: { mae: number; rmse: number }; trainPoints: number; testPoints: number; files: string[] }> {
  const series = seasonalSeries({ ...SERIES, seed: o.seed });
  const split = Math.round(SERIES.length * SERIES.trainFraction);
  const history = series.subarray(0, split);
  const actual = series.subarray(split);
  // One scale for inputs and targets: the spread of the training part.
  const mean = history.reduce((a, b) => a + b, 0) / history.length;
  const scale = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length);
  const scaled = history.map((v) => v / scale);
  const { x, y } = slidingWindows(scaled, o.length, o.horizon, { center: true });
  const naive = seasonalNaive(history, actual.length, SERIES.period);
  const naiveErrors = forecastErrors(actual, naive);
  log(`series of ${SERIES.length} points, ${split} to train; seasonal naive (period ${SERIES.period}): MAE ${naiveErrors.mae.toFixed(3)}, RMSE ${naiveErrors.rmse.toFixed(3)}`);
  const models: ForecastModelResult[] = [];
  const forecasts: { label: string; values: Float64Array }[] = [];
  for (const cell of o.cells) {
    manualSeed(o.seed);
    const model = new SequenceRegressor({ cell, inputSize: 1, hiddenSize: o.hidden, numLayers: o.layers, bidirectional: o.bidirectional, outputSize: o.horizon });
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: o.batchSize, shuffle: true, generator: new Generator(o.seed) });
    const optimizer = new Adam(model.parameters(), { lr: o.lr });
    const scheduler = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: loader.length, pctStart: 0.2 });
    const started = performance.now();
    const fitted = await fit(model, { train: loader, epochs: o.epochs, optimizer, scheduler, loss: mseLoss, clipGradNorm: o.clip > 0 ? o.clip : undefined, verbose: o.verbose });
    model.eval();
    const predicted = forecast(model, scaled, actual.length, { window: o.length, center: true }).map((v) => v * scale);
    const seconds = (performance.now() - started) / 1000;
    const errors = forecastErrors(actual, predicted);
    models.push({ cell, params: model.numParameters(), ...errors, trainLoss: fitted.last?.loss ?? NaN, seconds });
    forecasts.push({ label: `${cell.toUpperCase()} forecast`, values: predicted });
    log(`${cell.toUpperCase()}: MAE ${errors.mae.toFixed(3)}, RMSE ${errors.rmse.toFixed(3)} (seasonal naive ${naiveErrors.mae.toFixed(3)} / ${naiveErrors.rmse.toFixed(3)}), ${seconds.toFixed(0)} s`);
  }
  const files: string[] = [];
  if (o.plots) {
    const shown = Math.min(split, 2 * SERIES.period);
    const written = await plotForecast(
      { start: split - shown, observed: series.subarray(split - shown, split), actual, forecasts: [...forecasts, { label: `seasonal naive (period ${SERIES.period})`, values: naive }] },
      `Forecast of the last ${actual.length} points (trained on the first ${split})`,
      join(o.out, 'forecast'),
    );
    files.push(written.png, written.svg);
  }
  return { models, seasonalNaive: naiveErrors, trainPoints: split, testPoints: actual.length, files };
}
