import type { PlotFiles } from '@plexus/train';
import { FONT_FAMILY, writePlot } from '@plexus/train';

type Spec = Parameters<typeof writePlot>[0];

const CONFIG = { font: FONT_FAMILY, background: 'white', padding: 12 };

/** Held-out MSE per epoch, one line per model, log scale, with the always-1.0 baseline as a rule. */
export function addingCurvesSpec(series: readonly { label: string; values: readonly number[] }[], baseline: number, title: string): Spec {
  const values = series.flatMap((s) => s.values.map((mse, i) => ({ model: s.label, epoch: i + 1, mse })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520,
    height: 320,
    config: CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
          y: { field: 'mse', type: 'quantitative', scale: { type: 'log' }, title: 'held-out MSE (log scale)' },
          color: { field: 'model', type: 'nominal', title: null, legend: { orient: 'bottom' } },
        },
      },
      {
        data: { values: [{ baseline }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: 'gray' },
        encoding: { y: { field: 'baseline', type: 'quantitative' } },
      },
      {
        data: { values: [{ baseline, label: `always 1.0: ${baseline.toFixed(3)}` }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -8, color: 'gray' },
        encoding: { y: { field: 'baseline', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
    ],
  };
}

export function plotAddingCurves(series: readonly { label: string; values: readonly number[] }[], baseline: number, title: string, basePath: string): Promise<PlotFiles> {
  return writePlot(addingCurvesSpec(series, baseline, title), basePath);
}

export interface ForecastPlotData {
  /** Index of the first observed point shown. */
  start: number;
  /** Observed values before the forecast starts. */
  observed: ArrayLike<number>;
  /** The true values over the forecast horizon. */
  actual: ArrayLike<number>;
  forecasts: readonly { label: string; values: ArrayLike<number> }[];
}

/** Observed history, the actual future and each forecast against time. */
export function forecastSpec(d: ForecastPlotData, title: string): Spec {
  const split = d.start + d.observed.length;
  const rows: { t: number; value: number; series: string }[] = [];
  Array.from(d.observed).forEach((value, i) => rows.push({ t: d.start + i, value, series: 'observed (training)' }));
  Array.from(d.actual).forEach((value, i) => rows.push({ t: split + i, value, series: 'actual' }));
  for (const f of d.forecasts) Array.from(f.values).forEach((value, i) => rows.push({ t: split + i, value, series: f.label }));
  const order = ['observed (training)', 'actual', ...d.forecasts.map((f) => f.label)];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 720,
    height: 320,
    config: CONFIG,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time step' },
      y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: order, scale: { domain: order, range: ['#999999', '#000000', '#d62728', '#1f77b4', '#2ca02c', '#ff7f0e'] }, legend: { orient: 'bottom' } },
    },
  };
}

export function plotForecast(d: ForecastPlotData, title: string, basePath: string): Promise<PlotFiles> {
  return writePlot(forecastSpec(d, title), basePath);
}
