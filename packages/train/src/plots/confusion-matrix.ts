import type { TopLevelSpec } from 'vega-lite';
import { ArgumentError } from '@plexus/tensor';
import type { PlotFiles, PngOptions } from './render.js';
import { BASE_CONFIG, writePlot } from './render.js';

export interface ConfusionPlotOptions extends PngOptions {
  /** Class names (default '0', '1', …). */
  labels?: readonly string[];
  title?: string;
  /** Side of one cell in pixels (default 36). */
  cellSize?: number;
}

/**
 * A Vega-Lite heat map of a confusion matrix (rows: true class, columns: predicted), each cell
 * showing its count; the colour is the count as a share of its row (the class's recall on the
 * diagonal), so classes of different sizes read alike.
 */
export function confusionMatrixSpec(matrix: readonly (readonly number[])[], options: ConfusionPlotOptions = {}): TopLevelSpec {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n || row.some((v) => !Number.isFinite(v) || v < 0))) {
    throw new ArgumentError('confusionMatrixSpec: expected a non-empty square matrix of non-negative counts');
  }
  const labels = options.labels ?? matrix.map((_, i) => String(i));
  if (labels.length !== n) throw new ArgumentError(`confusionMatrixSpec: ${labels.length} labels for a ${n}×${n} matrix`);
  const values = matrix.flatMap((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => ({ truth: labels[i], predicted: labels[j], count, share: total > 0 ? count / total : 0 }));
  });
  const side = (options.cellSize ?? 36) * n;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? 'Confusion matrix',
    data: { values },
    config: { ...BASE_CONFIG, axis: { ...BASE_CONFIG.axis, grid: false, ticks: false, domain: false } },
    width: side,
    height: side,
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: [...labels], title: 'predicted', axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'truth', type: 'ordinal', sort: [...labels], title: 'true' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'share', type: 'quantitative', title: 'row share', scale: { scheme: 'blues', domain: [0, 1] } },
          tooltip: [{ field: 'truth' }, { field: 'predicted' }, { field: 'count' }],
        },
      },
      {
        mark: { type: 'text', fontSize: n > 12 ? 9 : 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** Writes the confusion matrix image to `<basePath>.svg` and `<basePath>.png`. */
export async function plotConfusionMatrix(matrix: readonly (readonly number[])[], basePath: string, options: ConfusionPlotOptions = {}): Promise<PlotFiles> {
  return writePlot(confusionMatrixSpec(matrix, options), basePath, options);
}
