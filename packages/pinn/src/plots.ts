import { ArgumentError, PlexusError } from '@plexus/tensor';
import type { writePlot } from '@plexus/train';
import { FONT_FAMILY } from '@plexus/train';
import type { PINNLogEntry } from './trainer.js';

/** A Vega-Lite spec, as @plexus/train's writePlot renders it to SVG and PNG. */
export type PlotSpec = Parameters<typeof writePlot>[0];

const CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14 },
  view: { stroke: null },
} as const;

/** One panel of a heat map: values[i·xs.length + j] at (xs[j], ys[i]). */
export interface HeatmapPanel {
  title: string;
  xs: readonly number[];
  ys: readonly number[];
  values: ArrayLike<number>;
  /** A Vega colour scheme (default 'redblue' reversed for signed fields, 'viridis' otherwise). */
  scheme?: string;
  /** The colour scale's [min, max] (default: the values' range, symmetric for 'redblue'). */
  domain?: readonly [number, number];
  /** Legend title (default the panel title). */
  legend?: string;
  /** Points drawn over the map (data, centres), told apart by `group`. */
  points?: readonly { x: number; y: number; group: string }[];
}

export interface HeatmapOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Size of one panel in pixels (default 360 × 220). */
  width?: number;
  height?: number;
}

/** Cell edges of a grid axis: midpoints between the coordinates, extended half a step outwards. */
function edges(c: readonly number[]): number[] {
  if (c.length === 1) return [c[0] - 0.5, c[0] + 0.5];
  const e = [c[0] - (c[1] - c[0]) / 2];
  for (let i = 0; i + 1 < c.length; i++) e.push((c[i] + c[i + 1]) / 2);
  e.push(c[c.length - 1] + (c[c.length - 1] - c[c.length - 2]) / 2);
  return e;
}

/**
 * Heat maps side by side (e.g. the PINN's prediction, the reference, and the error), one rect per
 * grid cell, each panel with its own colour scale and legend.
 */
export function heatmapSpec(panels: readonly HeatmapPanel[], options: HeatmapOptions = {}): PlotSpec {
  if (panels.length === 0) throw new ArgumentError('heatmapSpec: expected at least one panel');
  const charts = panels.map((p) => {
    if (p.values.length !== p.xs.length * p.ys.length) {
      throw new ArgumentError(`heatmapSpec: panel '${p.title}' has ${p.values.length} values for a ${p.ys.length}×${p.xs.length} grid`);
    }
    const ex = edges(p.xs);
    const ey = edges(p.ys);
    const values: { x0: number; x1: number; y0: number; y1: number; v: number }[] = [];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < p.ys.length; i++) {
      for (let j = 0; j < p.xs.length; j++) {
        const v = p.values[i * p.xs.length + j];
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        // Each cell reaches a quarter cell into its right and upper neighbours, which are drawn
        // after it and cover the overlap: no anti-aliasing seams between cells.
        const x1 = j + 2 < ex.length ? ex[j + 1] + (ex[j + 2] - ex[j + 1]) / 4 : ex[j + 1];
        const y1 = i + 2 < ey.length ? ey[i + 1] + (ey[i + 2] - ey[i + 1]) / 4 : ey[i + 1];
        values.push({ x0: ex[j], x1, y0: ey[i], y1, v });
      }
    }
    if (values.length === 0) throw new PlexusError(`heatmapSpec: panel '${p.title}' has no finite values`);
    const signed = lo < 0 && hi > 0;
    const scheme = p.scheme ?? (signed ? 'redblue' : 'viridis');
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    const domain = p.domain ?? (scheme === 'redblue' ? [-m, m] : [lo, hi]);
    const colorScale = { scheme, domain: [...domain], reverse: scheme === 'redblue', clamp: true };
    const map = {
      data: { values },
      mark: { type: 'rect', strokeWidth: 0 },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: options.xTitle ?? 'x', scale: { domain: [ex[0], ex[ex.length - 1]], nice: false, zero: false } },
        x2: { field: 'x1' },
        y: { field: 'y0', type: 'quantitative', title: options.yTitle ?? 'y', scale: { domain: [ey[0], ey[ey.length - 1]], nice: false, zero: false } },
        y2: { field: 'y1' },
        color: {
          field: 'v',
          type: 'quantitative',
          title: p.legend ?? p.title,
          scale: colorScale,
          legend: { format: '.2~e', gradientLength: (options.height ?? 220) - 20 },
        },
      },
    };
    const size = { title: p.title, width: options.width ?? 360, height: options.height ?? 220 };
    if (!p.points || p.points.length === 0) return { ...size, ...map };
    const overlay = {
      data: { values: p.points.map((q) => ({ px: q.x, py: q.y, group: q.group })) },
      mark: { type: 'point', filled: true, size: 24, stroke: '#333333', strokeWidth: 0.7, opacity: 0.95 },
      encoding: {
        x: { field: 'px', type: 'quantitative' },
        y: { field: 'py', type: 'quantitative' },
        shape: { field: 'group', type: 'nominal', title: null },
        fill: { field: 'group', type: 'nominal', title: null, scale: { range: ['#111111', '#ffffff', '#ffd92f', '#2ca02c'] } },
      },
    };
    return { ...size, layer: [map, overlay], resolve: { scale: { color: 'independent' } } };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    config: CONFIG,
    hconcat: charts,
    resolve: { scale: { color: 'independent' } },
  } as unknown as PlotSpec;
}

/** Loss curves of a PINN run: each term and the total against the step, on a log scale. */
export function lossHistorySpec(history: readonly PINNLogEntry[], options: { title?: string; width?: number; height?: number } = {}): PlotSpec {
  if (history.length === 0) throw new ArgumentError('lossHistorySpec: the history is empty');
  const adamSteps = Math.max(0, ...history.filter((e) => e.phase === 'adam').map((e) => e.step));
  const values: { step: number; term: string; value: number; phase: string }[] = [];
  for (const e of history) {
    // L-BFGS iterations continue the x axis after the Adam steps.
    const step = e.phase === 'adam' ? e.step : adamSteps + e.step;
    for (const [term, v] of [['total', e.loss] as const, ...Object.entries(e.terms)]) {
      if (Number.isFinite(v) && v > 0) values.push({ step, term, value: v, phase: e.phase });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'PINN loss (Adam, then L-BFGS)',
    config: CONFIG,
    width: options.width ?? 480,
    height: options.height ?? 280,
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: `Adam step, then ${adamSteps} + L-BFGS iteration` },
          y: { field: 'value', type: 'quantitative', title: 'loss', scale: { type: 'log' }, axis: { format: '.0e' } },
          color: { field: 'term', type: 'nominal', title: null },
        },
      },
      ...(adamSteps > 0 ? [{ data: { values: [{ step: adamSteps }] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'step', type: 'quantitative' } } }] : []),
    ],
  } as unknown as PlotSpec;
}

/** One curve of a line panel. */
export interface Series {
  name: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** 'line' (default) or 'point' (a scatter, e.g. training data). */
  mark?: 'line' | 'point';
  /** Dashed line (e.g. the exact solution under a prediction). */
  dashed?: boolean;
}

export interface LinePanel {
  title: string;
  series: readonly Series[];
  xTitle?: string;
  yTitle?: string;
  /** Logarithmic y axis (errors). */
  logY?: boolean;
}

/** Line and scatter panels side by side, the series of each told apart by colour. */
export function linePlotSpec(panels: readonly LinePanel[], options: { title?: string; width?: number; height?: number } = {}): PlotSpec {
  if (panels.length === 0) throw new ArgumentError('linePlotSpec: expected at least one panel');
  const charts = panels.map((p) => {
    if (p.series.length === 0) throw new ArgumentError(`linePlotSpec: panel '${p.title}' has no series`);
    const layers = p.series.map((s) => {
      if (s.xs.length !== s.ys.length) throw new ArgumentError(`linePlotSpec: series '${s.name}' has ${s.xs.length} x values and ${s.ys.length} y values`);
      const values: { x: number; y: number; series: string }[] = [];
      for (let i = 0; i < s.xs.length; i++) {
        if (Number.isFinite(s.xs[i]) && Number.isFinite(s.ys[i]) && (!p.logY || s.ys[i] > 0)) values.push({ x: s.xs[i], y: s.ys[i], series: s.name });
      }
      const mark = s.mark === 'point'
        ? { type: 'point', filled: true, size: 28, opacity: 0.8 }
        : { type: 'line', strokeWidth: 2, ...(s.dashed ? { strokeDash: [6, 4] } : {}) };
      return {
        data: { values },
        mark,
        encoding: {
          x: { field: 'x', type: 'quantitative', title: p.xTitle ?? 'x', scale: { zero: false } },
          y: { field: 'y', type: 'quantitative', title: p.yTitle ?? null, scale: p.logY ? { type: 'log' } : { zero: false }, ...(p.logY ? { axis: { format: '.0e' } } : {}) },
          color: { field: 'series', type: 'nominal', title: null, sort: p.series.map((q) => q.name), legend: { labelLimit: 400, orient: 'bottom', direction: 'vertical' } },
        },
      };
    });
    return { title: p.title, width: options.width ?? 360, height: options.height ?? 240, layer: layers };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    config: CONFIG,
    hconcat: charts,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  } as unknown as PlotSpec;
}
