import type { GradientNorm } from '@plexus/cnn';
import type { PlotFiles } from '@plexus/train';
import { FONT_FAMILY, writePlot } from '@plexus/train';

type Spec = Parameters<typeof writePlot>[0];

/** One line of the chart: a model's per-layer gradient norms, in depth order. */
export interface NormSeries {
  label: string;
  norms: readonly GradientNorm[];
}

/** Gradient norm against layer depth, log scale, one coloured line per model. */
export function gradientNormsSpec(series: readonly NormSeries[], title: string): Spec {
  const values = series.flatMap((s) => s.norms.map((n, i) => ({ model: s.label, layer: i + 1, name: n.name, norm: n.norm })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520,
    height: 320,
    config: { font: FONT_FAMILY, background: 'white', padding: 12 },
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'layer', type: 'quantitative', title: 'layer depth (1 = first conv, last = classifier)', axis: { tickMinStep: 1 } },
      y: { field: 'norm', type: 'quantitative', scale: { type: 'log' }, title: 'weight-gradient norm ‖∂L/∂W‖ (log scale)', axis: { format: '.0e' } },
      color: { field: 'model', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600 } },
      tooltip: [{ field: 'model' }, { field: 'name' }, { field: 'norm', format: '.3e' }],
    },
  };
}

export function plotGradientNorms(series: readonly NormSeries[], title: string, basePath: string): Promise<PlotFiles> {
  return writePlot(gradientNormsSpec(series, title), basePath);
}
