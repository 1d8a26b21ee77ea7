import type { TopLevelSpec } from 'vega-lite';
import { ArgumentError } from '@plexus/tensor';
import type { History } from '../history.js';
import type { PlotFiles, PngOptions } from './render.js';
import { BASE_CONFIG, writePlot } from './render.js';

export interface LearningCurveOptions extends PngOptions {
  /** The quantities to plot, one panel each (default: 'loss' first, then every metric; add 'lr' to see the schedule). */
  keys?: string[];
  title?: string;
  /** Size of one panel in pixels (default 320 × 220). */
  width?: number;
  height?: number;
  /** Panels per row (default 3). */
  columns?: number;
}

/** A history as `fit` returns it, or its `toJSON()`. */
export type HistoryLike = History | { epochs: readonly number[]; history: Record<string, readonly number[]> };

const NOT_CURVES = new Set(['lr', 'seconds']);

/** The training-side keys of a history: 'loss', 'accuracy', … (those with a 'val' twin or none). */
function defaultKeys(history: Record<string, readonly number[]>): string[] {
  const keys = Object.keys(history).filter((k) => !NOT_CURVES.has(k) && !/^val[A-Z]/.test(k));
  // Validation-only keys (no training twin) still deserve a panel.
  for (const k of Object.keys(history)) {
    const base = /^val([A-Z].*)$/.exec(k);
    if (base) {
      const name = base[1][0].toLowerCase() + base[1].slice(1);
      if (!keys.includes(name)) keys.push(name);
    }
  }
  return keys.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
}

/**
 * A Vega-Lite spec of learning curves: one panel per quantity, training and validation values per
 * epoch as two coloured lines, each panel with its own y scale.
 */
export function learningCurvesSpec(history: HistoryLike, options: LearningCurveOptions = {}): TopLevelSpec {
  const h = history.history;
  const epochs = history.epochs;
  if (epochs.length === 0) throw new ArgumentError('learningCurvesSpec: the history has no epochs');
  const keys = options.keys ?? defaultKeys(h);
  const values: { epoch: number; quantity: string; split: string; value: number }[] = [];
  for (const key of keys) {
    const series: [string, readonly number[] | undefined][] = NOT_CURVES.has(key)
      ? [['train', h[key]]]
      : [['train', h[key]], ['validation', h[`val${key[0].toUpperCase()}${key.slice(1)}`]]];
    if (series.every(([, s]) => s === undefined)) throw new ArgumentError(`learningCurvesSpec: the history has no '${key}' (it has ${Object.keys(h).join(', ')})`);
    for (const [split, s] of series) {
      s?.forEach((v, i) => {
        // Vega cannot place NaN or infinite values; leave those epochs out of the line.
        if (Number.isFinite(v)) values.push({ epoch: epochs[i] + 1, quantity: key, split, value: v });
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Learning curves',
    data: { values },
    config: BASE_CONFIG,
    columns: options.columns ?? 3,
    facet: { field: 'quantity', type: 'nominal', title: null, sort: keys, header: { labelFontSize: 13 } },
    spec: {
      width: options.width ?? 320,
      height: options.height ?? 220,
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'], scale: { range: ['#1f77b4', '#ff7f0e'] } },
        tooltip: [{ field: 'epoch' }, { field: 'split' }, { field: 'value', format: '.4f' }],
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Writes the learning curves to `<basePath>.svg` and `<basePath>.png`. */
export async function plotLearningCurves(history: HistoryLike, basePath: string, options: LearningCurveOptions = {}): Promise<PlotFiles> {
  return writePlot(learningCurvesSpec(history, options), basePath, options);
}
