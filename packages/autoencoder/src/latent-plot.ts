import type { Tensor } from '@plexus/tensor';
import { ArgumentError, BackendError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';
import type { PlotFiles, PngOptions } from '@plexus/train';
import { writePlot } from '@plexus/train';

type Spec = Parameters<typeof writePlot>[0];

export interface LatentPlotOptions extends PngOptions {
  title?: string;
  /** Legend title (default 'digit'). */
  labelTitle?: string;
  /** Side of the square plot in pixels (default 420). */
  size?: number;
}

function hostNumbers(where: string, name: string, v: Tensor | ArrayLike<number>): ArrayLike<number> {
  if (isTensor(v)) {
    if (!v.backend.readSync) throw new BackendError(`${where}: backend '${v.backend.name}' cannot read ${name} synchronously; pass await t.data()`);
    return v.dataSync() as ArrayLike<number>;
  }
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new ArgumentError(`${where}: ${name} must be a Tensor or an array of numbers`);
  return v;
}

/**
 * A Vega-Lite scatter plot of 2-D codes [N, 2], one colour per label (the ten-colour 'tableau10'
 * scheme, so digits 0–9 are told apart).
 */
export function latentScatterSpec(codes: Tensor | { data: ArrayLike<number>; shape: readonly number[] }, labels: Tensor | ArrayLike<number>, options: LatentPlotOptions = {}): Spec {
  const where = 'latentScatterSpec';
  const shape = isTensor(codes) ? codes.shape : codes?.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[1] !== 2) throw new ShapeError(`${where}: expected codes [N, 2], got ${Array.isArray(shape) ? fmtShape(shape) : String(shape)}`);
  const xy = hostNumbers(where, 'codes', isTensor(codes) ? codes : codes.data);
  const ys = hostNumbers(where, 'labels', labels);
  const n = shape[0];
  if (xy.length !== 2 * n) throw new ShapeError(`${where}: ${xy.length} values for codes ${fmtShape(shape)}`);
  if (ys.length !== n) throw new ShapeError(`${where}: ${n} codes but ${ys.length} labels`);
  const values = Array.from({ length: n }, (_, i) => ({ z1: xy[2 * i], z2: xy[2 * i + 1], label: String(ys[i]) }));
  const domain = [...new Set(values.map((v) => v.label))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const size = options.size ?? 420;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Latent space',
    data: { values },
    width: size,
    height: size,
    config: { font: 'DejaVu Sans', background: 'white', padding: 12 },
    mark: { type: 'circle', size: 14, opacity: 0.75 },
    encoding: {
      x: { field: 'z1', type: 'quantitative', title: 'z₁', scale: { zero: false } },
      y: { field: 'z2', type: 'quantitative', title: 'z₂', scale: { zero: false } },
      color: { field: 'label', type: 'nominal', title: options.labelTitle ?? 'digit', sort: domain, scale: { scheme: 'tableau10' } },
    },
  };
}

/** Writes the latent scatter plot to `<basePath>.svg` and `<basePath>.png`. */
export async function plotLatentSpace(
  codes: Tensor | { data: ArrayLike<number>; shape: readonly number[] },
  labels: Tensor | ArrayLike<number>,
  basePath: string,
  options: LatentPlotOptions = {},
): Promise<PlotFiles> {
  return writePlot(latentScatterSpec(codes, labels, options), basePath, options);
}
