import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, fromData, isTensor } from '@plexus/tensor';
import type { PlotFiles, PngOptions } from '@plexus/train';
import { writePlot } from '@plexus/train';
import { hostData } from './host.js';

type Spec = Parameters<typeof writePlot>[0];

export interface EmbeddingPlotOptions extends PngOptions {
  title?: string;
  /** Legend title (default 'class'). */
  labelTitle?: string;
  /** Names of the classes, by index (default the indices). */
  classNames?: readonly string[];
  /** Nodes drawn larger and outlined (e.g. the labelled ones). */
  highlight?: readonly number[];
  highlightName?: string;
  /** Side of the square plot in pixels (default 420). */
  size?: number;
}

/**
 * A Vega-Lite scatter plot of 2-D node embeddings [N, 2] coloured by class; `highlight` nodes
 * (the labelled ones, say) get a larger outlined mark.
 */
export function embeddingScatterSpec(points: Tensor, labels: Tensor | ArrayLike<number>, options: EmbeddingPlotOptions = {}): Spec {
  const op = 'embeddingScatterSpec';
  if (!isTensor(points) || points.rank !== 2 || points.shape[1] !== 2) throw new ShapeError(`${op}: expected points [N, 2], got ${isTensor(points) ? fmtShape(points.shape) : String(points)}`);
  const xy = hostData(op, 'points', points);
  const ys = isTensor(labels) ? hostData(op, 'labels', labels) : labels;
  const n = points.shape[0];
  if (ys.length !== n) throw new ShapeError(`${op}: ${n} points but ${ys.length} labels`);
  const highlight = new Set(options.highlight ?? []);
  for (const h of highlight) if (!(Number.isInteger(h) && h >= 0 && h < n)) throw new ArgumentError(`${op}: highlight node ${h} is not in [0, ${n})`);
  const name = (c: number): string => options.classNames?.[c] ?? String(c);
  const kind = options.highlightName ?? 'labelled';
  const values = Array.from({ length: n }, (_, i) => ({ x: xy[2 * i], y: xy[2 * i + 1], label: name(ys[i]), node: i, kind: highlight.has(i) ? kind : 'other' }));
  const size = options.size ?? 420;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Node embeddings',
    data: { values },
    width: size,
    height: size,
    config: { font: 'DejaVu Sans', background: 'white', padding: 12 },
    mark: { type: 'point', filled: true, opacity: 0.8 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'dimension 1', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: 'dimension 2', scale: { zero: false } },
      color: { field: 'label', type: 'nominal', title: options.labelTitle ?? 'class', scale: { scheme: 'tableau10' } },
      shape: { field: 'kind', type: 'nominal', title: 'node', scale: { domain: [kind, 'other'], range: ['diamond', 'circle'] } },
      size: { condition: { test: `datum.kind !== 'other'`, value: 220 }, value: 50 },
    },
  };
}

/** Writes the embedding scatter plot to `<basePath>.svg` and `<basePath>.png`. */
export async function plotEmbeddings(points: Tensor, labels: Tensor | ArrayLike<number>, basePath: string, options: EmbeddingPlotOptions = {}): Promise<PlotFiles> {
  return writePlot(embeddingScatterSpec(points, labels, options), basePath, options);
}

/** Projects [N, D] rows onto their top two principal components (power iteration on the host, float64). */
export function pca2(points: Tensor): Tensor {
  const op = 'pca2';
  if (!isTensor(points) || points.rank !== 2) throw new ShapeError(`${op}: expected [N, D], got ${isTensor(points) ? fmtShape(points.shape) : String(points)}`);
  const [n, d] = points.shape;
  const v = hostData(op, 'points', points);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += v[i * d + j] / n;
  const c = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c[i * d + j] = v[i * d + j] - mean[j];
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += c[i * d + a] * c[i * d + b];
  const comps: Float64Array[] = [];
  for (let k = 0; k < Math.min(2, d); k++) {
    let w = Float64Array.from({ length: d }, (_, j) => 1 + ((j * 7919 + k * 104729) % 13) / 13); // fixed, generic start
    for (let it = 0; it < 200; it++) {
      for (const p of comps) {
        const dot = w.reduce((s, x, j) => s + x * p[j], 0);
        w = w.map((x, j) => x - dot * p[j]);
      }
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) next[a] += cov[a * d + b] * w[b];
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      w = next.map((x) => x / norm);
    }
    comps.push(w);
  }
  while (comps.length < 2) comps.push(new Float64Array(d));
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) out[i * 2 + k] = comps[k].reduce((s, x, j) => s + x * c[i * d + j], 0);
  return fromData(op, out, [n, 2], { backend: points.backend });
}
